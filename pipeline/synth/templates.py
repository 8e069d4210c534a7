"""Hand-written Italian command templates: 48 per intent, with `{slot}` placeholders.

MASSIVE's sentences were written by crowd workers, so no two phrase a request alike. The templates of
one intent therefore differ in verb, word order and register (imperative, polite question, indirect
request, colloquial, terse) rather than repeating one sentence shape; held-out templates (see
`pipeline.synth.plan`) are then genuinely new phrasings, not new slot values in a known frame.
Slot values come from `pipeline.synth.slots.SLOTS`. Each intent's 24 varied templates here are
followed by its 24 everyday ones (`pipeline.synth.everyday`), which ask plainly with the intent's
usual words, as most crowd-written sentences do; both kinds are dealt into the same held-out groups.
"""

from __future__ import annotations

from pipeline.synth.blocks import parse_blocks
from pipeline.synth.everyday import EVERYDAY, EVERYDAY_PER_INTENT

VARIED_PER_INTENT = 24
TEMPLATES_PER_INTENT = VARIED_PER_INTENT + EVERYDAY_PER_INTENT


_ALARM_TO_DATETIME = parse_blocks("""
alarm_query:
  che sveglie ho impostato
  a che ora suona la sveglia {day}
  ho una sveglia {day}
  mostrami le mie sveglie
  quante sveglie sono attive
  la sveglia di {day} è {time}
  mi ricordi per che ora ho messo la sveglia
  sveglie attive
  c'è qualche sveglia programmata per {day}
  potresti dirmi se domattina suona la sveglia
  vorrei sapere quando mi sveglierai {day}
  elenca le sveglie della settimana
  ma la sveglia l'ho messa o no
  dimmi l'orario della prossima sveglia
  a che ora devo svegliarmi {day}
  controlla se ho una sveglia {time}
  quale sveglia suonerà per prima
  hai impostato qualche allarme per me
  leggimi gli allarmi che ho
  fammi vedere la sveglia di {day}
  suona qualcosa {day} mattina
  per caso ho puntato la sveglia {time}
  quanto manca alla prossima sveglia
  verifica le mie sveglie di {day}
alarm_remove:
  cancella la sveglia {time}
  elimina tutte le sveglie
  togli la sveglia di {day}
  rimuovi la sveglia delle sette
  non voglio più la sveglia {time}
  disattiva la sveglia di {day}
  {day} niente sveglia
  puoi annullare l'allarme {time}
  leva quella sveglia che ho messo {day}
  via tutte le sveglie
  domani posso dormire quindi spegni la sveglia
  non mi serve più l'allarme di {day}
  ti chiedo di eliminare la sveglia {time}
  sveglia {time} cancellata per favore
  fai sparire gli allarmi della settimana
  basta sveglie per {day}
  vorrei togliere la sveglia del mattino
  annulla l'ultima sveglia che ho creato
  rimuovi l'allarme ricorrente del {day}
  cancellami la sveglia per {day}
  non svegliarmi {time} {day}
  la sveglia {time} non serve più toglila
  potresti disattivare tutte le sveglie attive
  elimina l'allarme delle {number}
alarm_set:
  svegliami {time} {day}
  imposta una sveglia {time}
  metti la sveglia {day} {time}
  crea una sveglia per {day}
  voglio una sveglia {time}
  sveglia {time} per favore
  puoi svegliarmi {time}
  programma un allarme per {day} {time}
  devo alzarmi {time} {day} mettimi la sveglia
  fammi suonare la sveglia tra {duration}
  allarme {time}
  punta la sveglia {time}
  mi serve una sveglia {day} mattina presto
  ricordati di svegliarmi {time}
  sveglia ogni giorno {time}
  potresti impostare un allarme {time} per {day}
  aggiungi una sveglia {time} nei giorni feriali
  {day} mi devo svegliare {time}
  non farmi dormire troppo sveglia {time}
  dammi la sveglia {time}
  imposta l'allarme tra {duration}
  vorrei essere svegliato {day} {time}
  metti una nuova sveglia {time} con la musica
  svegliami presto {day}
audio_volume_down:
  abbassa il volume
  metti il volume più basso
  riduci l'audio
  abbassa un po' la musica
  volume giù di {number}
  parla più piano
  diminuisci il volume {room}
  è troppo forte
  puoi abbassare un pochino
  meno volume
  mi stai spaccando le orecchie abbassa
  un po' più piano per favore
  potresti ridurre il volume della musica
  scendi di {number} tacche
  la televisione è troppo alta abbassala
  abbassa l'audio {room}
  riduci il suono al minimo
  non urlare così abbassa la voce
  volume più debole
  cala il volume di {percent} per cento
  vorrei sentire la musica più bassa
  tieni il volume basso stanotte
  fai più piano che dormono
  giù il volume
audio_volume_mute:
  silenzia l'altoparlante
  togli l'audio
  metti in muto
  zitto per {number} minuti
  disattiva il suono
  silenzio per favore
  muto {room}
  stai zitto
  togli completamente il volume
  azzera l'audio
  non voglio sentire nulla per {duration}
  puoi silenziare tutto
  spegni l'audio del televisore
  modalità silenziosa
  basta rumore metti il muto
  silenzia le notifiche per {duration}
  fai silenzio
  volume a zero
  metti gli altoparlanti in pausa audio
  mi serve silenzio assoluto
  disattiva l'audio {room}
  potresti tacere un attimo
  chiudi l'audio
  ammutolisci la musica
audio_volume_other:
  imposta il volume al {percent} per cento
  che livello ha il volume
  volume medio
  porta il volume a {number}
  regola il volume della voce
  a quanto è il volume adesso
  rimetti il volume come prima
  volume a metà
  com'è impostato l'audio
  cambia il volume delle notifiche
  metti lo stesso volume in tutte le stanze
  il volume è al massimo
  vorrei un volume normale
  bilancia l'audio tra le casse
  livello audio {number}
  regola i bassi
  sistema il volume della suoneria
  dimmi il volume attuale
  volume standard per favore
  riporta l'audio al livello di default
  qual è il volume massimo
  imposta il volume della sveglia
  metti il volume giusto per un film
  equalizza il suono
audio_volume_up:
  alza il volume
  metti il volume più alto
  aumenta l'audio di {number}
  non sento alza
  parla più forte
  volume su {room}
  alza un po' la musica
  più forte
  puoi alzare un pochino
  non si sente niente
  volume al massimo
  alza l'audio del televisore
  aumenta di {percent} per cento
  voglio sentire meglio alza
  sali di {number} tacche
  la musica è troppo bassa
  potresti aumentare il volume
  più volume per favore
  alzalo
  fammi sentire la radio più forte
  spara la musica
  aumenta il suono {room}
  ancora più alto
  porta su il volume
calendar_query:
  che impegni ho {day}
  cosa c'è in agenda {day}
  quando è {event}
  sono libero {day} {time}
  leggimi il calendario di {day}
  ho appuntamenti {day}
  cosa devo fare {day}
  a che ora è {event}
  la mia giornata di {day} com'è
  riepilogami la settimana
  ho qualcosa in programma con {name}
  controlla l'agenda per {day}
  mi ricordi cosa avevo segnato {day}
  ci sono riunioni {day} pomeriggio
  che cosa ho {time}
  vorrei sapere se {day} ho impegni
  dove devo andare {day}
  quanti appuntamenti ho questa settimana
  c'è {event} in calendario
  dimmi il prossimo impegno
  quando vedo {name}
  la mattina di {day} è libera
  il calendario di {day} è pieno
  scorri l'agenda di {day}
calendar_remove:
  cancella {event} dal calendario
  elimina l'appuntamento di {day}
  togli {event} di {day}
  annulla tutti gli impegni di {day}
  rimuovi {event} dall'agenda
  cancella l'evento {time}
  non vado più a {event} toglilo
  libera la mia agenda {day}
  l'incontro con {name} è saltato cancellalo
  via {event} dal calendario
  disdici l'appuntamento con {name}
  potresti eliminare {event} di {day}
  svuota il calendario di {day}
  leva l'impegno {time}
  {event} è annullato
  cancella la ricorrenza di {event}
  non voglio più vedere {event} in agenda
  rimuovi l'appuntamento delle {number}
  elimina l'ultimo evento che ho aggiunto
  togli tutti gli eventi con {name}
  la riunione di {day} non c'è più
  cancella i miei impegni della settimana
  scancella {event}
  annulla la prenotazione in agenda di {day}
calendar_set:
  segna {event} {day} {time}
  aggiungi al calendario {event}
  fissa un appuntamento con {name} {day}
  ricordami {event} {day}
  metti in agenda {event} {time}
  crea un evento {day} con {name}
  programma una riunione {day} {time}
  annota che {day} ho {event}
  inserisci {event} nel calendario di {day}
  blocca il pomeriggio di {day}
  promemoria {event} {day}
  devo vedere {name} {day} segnalo
  organizza {event} per {day}
  nuovo appuntamento {day} {time}
  puoi ricordarmi di chiamare {name} {time}
  fammi un promemoria per {event}
  metti un evento ricorrente ogni {day}
  prenota uno spazio in agenda per {event}
  aggiungi {name} alla riunione di {day}
  scrivi in agenda {event}
  pianifica {event} {day}
  non dimenticare che {day} c'è {event}
  salva la data di {event}
  tienimi libero {day} {time}
cooking_query:
  quanto tempo deve cuocere {food}
  a che temperatura si cuoce {food}
  quante calorie ha {food}
  posso congelare {food}
  che vino si abbina con {food}
  come capisco se {food} è pronta
  quanto sale ci va nell'acqua della pasta
  si può fare {food} senza glutine
  quanto dura in frigo {food}
  per quante persone bastano {number} etti di pasta
  cosa posso usare al posto del burro
  {food} è adatta ai vegetariani
  quanti grammi sono una tazza di farina
  il forno va preriscaldato per {food}
  {food} va servita calda o fredda
  si scongela prima {food}
  che differenza c'è tra lievito di birra e lievito chimico
  come si conserva {food}
  quante uova servono di solito
  a quanti gradi cuocio il pollo
  posso preparare {food} il giorno prima
  {food} è piccante
  quale olio è meglio per friggere
  ogni quanto mescolo il risotto
cooking_recipe:
  dammi la ricetta per {food}
  come si prepara {food}
  insegnami a cucinare {food}
  quali ingredienti servono per {food}
  cerca una ricetta con {item}
  cosa posso cucinare con {item}
  voglio fare {food} stasera aiutami
  spiegami passo passo {food}
  ricetta veloce per cena
  mi serve un'idea per un dolce
  procedimento per {food}
  come faceva la nonna {food}
  trovami una ricetta vegana
  leggimi la ricetta di {food}
  cosa cucino con quello che ho in frigo
  suggerisci un primo piatto
  una ricetta facile con {item} e {item}
  come si fa il sugo di pomodoro
  fammi vedere come si impasta la pizza
  ricette per {number} persone
  preparazione di {food}
  mi guidi nella ricetta di {food}
  idee per un antipasto
  qual è la ricetta tradizionale di {food}
datetime_convert:
  che ore sono a {city} se qui sono {time}
  converti {time} nell'ora di {city}
  quanta differenza di fuso c'è con {city}
  {time} a {city} che ora è qui
  trasforma l'ora di {city} in ora italiana
  se a {city} sono {time} qui che ore sono
  quante ore di differenza ci sono tra Roma e {city}
  fuso orario di {city} rispetto a noi
  quando qui è mezzogiorno a {city} che ora è
  convertimi l'orario della riunione per {city}
  {city} è avanti o indietro rispetto all'Italia
  che ora sarà a {city} quando atterro
  passa da ora italiana a ora di {city}
  se chiamo {city} {time} che ora è lì
  in ora di {city} quanto fa {time}
  quanto sono indietro a {city}
  calcola il fuso tra {city} e {city}
  le {number} di {city} in ora nostra
  traduci l'orario in fuso di {city}
  siamo avanti di quante ore su {city}
  l'ora legale cambia la differenza con {city}
  metti in ora locale {time} di {city}
  che orario è a {city} rispetto a Milano
  differenza oraria con {city}
datetime_query:
  che ore sono
  che giorno è oggi
  che ore sono a {city}
  che data è {day}
  in che giorno cade {day}
  dimmi l'ora esatta
  quanti giorni mancano a {day}
  ora
  oggi che data abbiamo
  in che mese siamo
  che giorno della settimana è {day}
  è già mezzogiorno
  mi dici l'ora per favore
  quanto manca a natale
  che anno è
  a che ora tramonta il sole
  quando cade pasqua quest'anno
  siamo in ora legale
  quante settimane mancano alle vacanze
  dimmi la data completa
  che ora si è fatta
  il {day} che giorno è
  è tardi
  ricordami che giorno è
""")

_EMAIL_TO_LISTS = parse_blocks("""
email_addcontact:
  aggiungi {name} ai contatti
  salva l'indirizzo email di {name}
  crea un nuovo contatto per {name}
  memorizza questa email come {name}
  inserisci {name} nella rubrica
  registra il contatto di {name}
  nuovo contatto {name}
  metti {name} tra i contatti della posta
  puoi salvarmi l'indirizzo che mi ha mandato {name}
  ricordati l'email di {name}
  associa questo indirizzo a {name}
  vorrei aggiungere {name} alla rubrica
  salva il mittente dell'ultima mail
  questo è l'indirizzo nuovo di {name} aggiornalo
  crea la scheda contatto di {name} con la sua mail
  tieni in rubrica {name}
  aggiungi l'email del lavoro di {name}
  registra {name} come contatto preferito
  metti in agenda contatti la mail di {name}
  salva {name} nella lista dei contatti
  {name} va nei contatti
  importa il contatto di {name}
  ho l'email di {name} salvala
  inserisci un indirizzo nuovo per {name}
email_query:
  ho nuove email
  leggimi la posta
  ci sono messaggi da {name}
  controlla la casella di posta
  quante email non lette ho
  mi ha scritto {name} {day}
  è arrivata la mail di {name}
  novità nella posta
  leggimi l'ultima email
  di cosa parla la mail di {name}
  ho ricevuto qualcosa dal lavoro
  dai un'occhiata alla mia casella
  ci sono email importanti
  cosa mi è arrivato {day}
  mostrami la posta in arrivo
  chi mi ha scritto oggi
  hai controllato le email
  c'è posta per me
  la mail di {name} ha un allegato
  quante email ho ricevuto {day}
  apri la posta
  cerca le email di {name} su {event}
  mi ha risposto {name}
  riassumi la posta di {day}
email_querycontact:
  qual è l'email di {name}
  dammi il numero di {name}
  che indirizzo ha {name}
  cerca {name} nella rubrica
  quando compie gli anni {name}
  dove abita {name}
  mi serve il cellulare di {name}
  ho il numero di {name} in rubrica
  che mail usa {name} per il lavoro
  trova il contatto di {name}
  recuperami l'indirizzo di {name}
  {name} ha un numero fisso
  leggimi la scheda di {name}
  qual è il cognome di {name}
  dimmi i contatti di {name}
  mostrami il profilo di {name}
  in che azienda lavora {name}
  ricordami come si scrive l'email di {name}
  il compleanno di {name} è vicino
  dammi tutti i dati di {name}
  cerca in rubrica il numero di casa di {name}
  hai salvato l'indirizzo di {name}
  a che numero chiamo {name}
  apri il contatto {name}
email_sendemail:
  manda una email a {name}
  scrivi a {name} che arrivo {time}
  invia un messaggio di posta a {name}
  rispondi all'email di {name}
  inoltra la mail a {name}
  mail a {name} ci vediamo {day}
  scrivi una mail al capo
  invia a {name} il documento
  puoi mandare un'email a {name} per dire che sono in ritardo
  componi una mail per {name}
  rispondi a tutti
  spedisci la mail che ho scritto
  manda a {name} gli auguri per posta
  fai sapere a {name} via email che {event} è confermato
  nuova email destinatario {name}
  invia una mail di ringraziamento a {name}
  scrivi a {name} e chiedi quando è libero
  manda una risposta veloce a {name}
  inoltra a {name} l'ultimo messaggio
  email per {name} oggetto {event}
  spedisci una email a tutto il gruppo
  rispondi a {name} che va bene
  mandagli una mail
  mi scrivi una mail a {name} dicendo grazie
general_greet:
  ciao come stai
  buongiorno
  buonasera a te
  salve tutto bene
  ehi ciao che si dice
  buona notte
  come va oggi
  ciao
  ben trovato
  eccomi sono tornato
  buongiorno a tutti
  ehi ci sei
  come te la passi
  salve assistente
  piacere di conoscerti
  ciao amico mio
  buon pomeriggio
  tutto a posto
  hey come butta
  buona giornata
  che piacere sentirti
  ciao bello
  rieccomi
  saluti
general_joke:
  raccontami una barzelletta
  dimmi qualcosa di divertente
  fammi ridere
  conosci una battuta su {topic}
  raccontami una storia buffa
  un'altra barzelletta per favore
  sai qualche freddura
  dimmi una battuta
  tirami su con una barzelletta
  conosci barzellette sui carabinieri
  fai il comico
  raccontami qualcosa che faccia ridere i bambini
  una battuta sporca
  hai un indovinello divertente
  fammi sorridere un po'
  dimmene una bella
  raccontami la barzelletta più divertente che sai
  sei capace di fare una battuta
  barzelletta
  ridiamo un po'
  dimmi uno scherzo
  una barzelletta su {city}
  fammi una freddura su {topic}
  raccontami un aneddoto comico
general_quirky:
  qual è il senso della vita
  mi vuoi bene
  sei un robot
  hai mai sognato
  cosa pensi di {name}
  sai cantare
  ti piace {city}
  come ti chiami
  quanti anni hai
  sei sposato
  qual è il tuo colore preferito
  mi sposi
  perché il cielo è blu secondo te
  hai un fidanzato
  cosa mangi a colazione
  ti annoi mai
  chi è più intelligente tu o io
  credi negli alieni
  mi sento solo
  dove vivi
  sei felice
  raccontami un segreto
  balliamo
  che cosa sogni di notte
iot_cleaning:
  accendi l'aspirapolvere
  fai pulire il robot {room}
  pulisci il pavimento {room}
  avvia la pulizia {time}
  manda il robot a pulire
  passa l'aspirapolvere {room}
  il pavimento è sporco pulisci
  metti in funzione il robot lavapavimenti
  fai le pulizie mentre sono fuori
  programma la pulizia per {day}
  aspira la polvere {room}
  pulizia completa della casa
  robot aspirapolvere partenza
  puoi pulire sotto il divano
  lava i pavimenti {room}
  togli le briciole {room}
  fai girare il roomba
  pulisci tutta la casa {time}
  rimanda il robot alla base dopo aver pulito
  dai una pulita {room}
  c'è polvere ovunque fai qualcosa
  avvia l'aspirapolvere intelligente
  fai una pulizia veloce
  ogni {day} pulisci la casa
iot_coffee:
  fammi un caffè
  prepara un espresso
  accendi la macchina del caffè
  voglio un cappuccino
  fai {number} caffè
  prepara il caffè {time}
  caffè per favore
  ho bisogno di caffeina
  un caffè lungo
  metti su la moka
  puoi prepararmi un macchiato
  fai partire la macchinetta del caffè
  domattina fammi trovare il caffè pronto
  caffè macchiato con poco latte
  un ristretto
  prepara un caffè americano
  vorrei un decaffeinato
  scalda la macchina del caffè
  due caffè per me e {name}
  fai il caffè {time}
  offrimi un caffè
  caffè doppio
  prepara qualcosa da bere con la macchina del caffè
  mi fai un latte macchiato
iot_hue_lightchange:
  cambia il colore della luce in {color}
  metti la luce {color} {room}
  luci {color} per favore
  fai diventare {color} la lampada
  colora le luci {room} di {color}
  imposta l'illuminazione {color}
  voglio un'atmosfera {color}
  luce {color}
  passa al {color}
  cambia tonalità alle lampadine
  usa una luce più calda
  metti una luce rilassante
  fai le luci come in discoteca
  la lampada {room} deve essere {color}
  scegli un colore diverso per le luci
  modifica il colore dell'illuminazione {room}
  imposta la scena tramonto
  luci colorate {room}
  rendi la luce più fredda
  accendi la modalità arcobaleno
  trasforma le luci in {color}
  preferisco una luce {color} {room}
  tonalità {color} per la lampada
  cambia la scena luminosa
iot_hue_lightdim:
  abbassa le luci
  diminuisci la luminosità {room}
  luce più soffusa
  attenua la lampada
  abbassa la luce al {percent} per cento
  luci meno forti {room}
  c'è troppa luce
  smorza le luci
  riduci l'intensità della lampada
  luce bassa per guardare il film
  un po' meno luce
  abbassa le lampadine {room}
  mi danno fastidio le luci abbassale
  penombra {room}
  regola la luce più fioca
  dimezza la luminosità
  luci al minimo
  abbassa un filo la luce
  rendi la stanza meno luminosa
  la lampada è troppo forte
  attenua l'illuminazione {room}
  scurisci un po'
  porta la luce a un livello basso
  meno luminosità per favore
iot_hue_lightoff:
  spegni la luce
  spegni le luci {room}
  luci spente
  togli la luce {room}
  spegni tutte le lampade
  buio {room}
  vado a dormire spegni tutto
  puoi spegnere la lampada
  luce off
  spegni la lampadina {room}
  non mi serve più la luce
  spegni le luci di casa
  tutte le luci spente per favore
  chiudi le luci
  fai buio
  spegni l'illuminazione {room}
  la luce {room} è rimasta accesa spegnila
  spegni le luci tra {duration}
  spegni la luce del comodino
  basta luce
  spegni i faretti
  luci {room} spente
  stacca le luci
  spegni la lampada da terra
iot_hue_lighton:
  accendi la luce
  accendi le luci {room}
  luce {room} per favore
  fai luce
  accendi tutte le lampade
  illumina {room}
  non vedo niente accendi
  luci accese
  puoi accendere la lampada
  luce on
  accendi la lampadina {room}
  è buio qui
  accendi le luci di casa
  accendi i faretti
  dammi un po' di luce
  illumina la stanza
  accendi la luce {room} tra {duration}
  accendi la lampada da terra
  voglio la luce accesa {room}
  apri le luci
  accendi la luce del comodino
  sveglia le luci
  luci {room}
  tutte le luci accese
iot_hue_lightup:
  alza le luci
  aumenta la luminosità {room}
  più luce per favore
  luci più forti
  porta la luce al {percent} per cento
  rendi più luminosa la stanza
  non vedo bene alza la luce
  luminosità al massimo
  un po' più di luce
  aumenta l'intensità della lampada
  le luci sono troppo deboli
  alza le lampadine {room}
  più luminoso
  illumina di più {room}
  potenzia la luce
  rendi la luce più intensa
  luce piena
  alza la luminosità del {percent} per cento
  ravviva le luci
  dammi più luce per leggere
  aumenta la luce {room}
  schiarisci la stanza
  luce più forte sul tavolo
  alza un filo le luci
iot_wemo_off:
  spegni {device}
  stacca {device}
  disattiva la presa intelligente
  spegni la spina {room}
  togli corrente a {device}
  ferma {device}
  spegni la presa
  stacca la spina {room}
  disattiva {device}
  {device} off
  puoi spegnere {device}
  interrompi {device}
  spegni la presa smart
  togli la corrente alla presa {room}
  spegni {device} tra {duration}
  non mi serve più {device} spegnilo
  chiudi {device}
  disalimenta {device}
  spegni la ciabatta {room}
  spegni tutte le prese
  fai spegnere {device}
  blocca {device}
  metti fuori tensione {device}
  arresta {device}
iot_wemo_on:
  accendi {device}
  attiva la presa intelligente
  dai corrente a {device}
  avvia {device}
  accendi la spina {room}
  metti in funzione {device}
  accendi la presa
  {device} on
  puoi accendere {device}
  fai partire {device}
  attiva {device}
  dai corrente alla presa {room}
  accendi {device} tra {duration}
  mi serve {device} accendilo
  accendi la presa smart
  accendi la ciabatta {room}
  alimenta {device}
  riattiva {device}
  accendi tutte le prese
  fai accendere {device}
  metti sotto tensione {device}
  avvia la presa intelligente {room}
  accendi {device} {time}
  fai funzionare {device}
lists_createoradd:
  aggiungi {item} alla lista {list}
  crea una nuova lista {list}
  metti {item} nella lista {list}
  segna {item} sulla lista
  inizia una lista {list}
  inserisci {item} e {item} nella lista
  nella lista {list} scrivi {item}
  ricordami di comprare {item}
  mi serve {item} aggiungilo
  nuova lista {list}
  apri una lista per {event}
  puoi aggiungere {item} alla spesa
  annota {item}
  metti in lista anche {item}
  fai una lista {list}
  aggiungi un punto alla lista {list}
  scrivi {item} tra le cose da comprare
  crea l'elenco {list}
  voglio fare una lista {list}
  appunta {item} nella lista
  aggiungi {item} per {day}
  prepara una lista {list} vuota
  {item} in lista
  segnati {item}
lists_query:
  cosa c'è nella lista {list}
  leggimi la lista {list}
  quali liste ho
  c'è {item} nella lista
  quante cose ci sono nella lista {list}
  mostrami la lista {list}
  cosa devo comprare
  ho già segnato {item}
  ripetimi la lista {list}
  che cosa manca nella lista {list}
  elenca le mie liste
  cosa avevo scritto nella lista {list}
  la lista {list} è vuota
  dimmi le prime cose della lista
  ho una lista {list}
  quali sono le voci della lista {list}
  controlla se nella lista c'è {item}
  leggi la lista a voce alta
  quanti elementi ha la lista {list}
  cosa resta da fare
  fammi vedere cosa c'è da comprare
  che liste ho creato
  ripassami la lista {list}
  la lista {list} cosa contiene
lists_remove:
  togli {item} dalla lista {list}
  cancella la lista {list}
  rimuovi {item} dalla lista
  elimina l'ultima voce della lista
  svuota la lista {list}
  depenna {item}
  ho già comprato {item} toglilo
  leva {item} dalla lista
  non mi serve più {item}
  cancella tutto dalla lista {list}
  butta via la lista {list}
  elimina {item} e {item}
  togli l'ultima cosa che ho aggiunto
  puoi rimuovere {item} dalla spesa
  via {item} dalla lista
  {item} fatto cancellalo
  elimina la lista {list}
  spunta {item}
  rimuovi tutte le voci completate
  cancella {item} dalle cose da fare
  la lista {list} non serve più
  togli la prima voce
  elimina tutte le liste
  scancella {item}
""")

_MUSIC_TO_QA = parse_blocks("""
music_dislikeness:
  non mi piace questa canzone
  odio {artist}
  questa musica è brutta
  non sopporto {genre}
  non mettere più {song}
  che canzone orribile
  questa non fa per me
  segna che non mi piace
  basta con {artist}
  questa canzone mi annoia
  non voglio più sentire {genre}
  togli questo brano dai preferiti
  non mi è mai piaciuto {artist}
  che schifo di musica
  ricordati che {song} non la sopporto
  pollice verso per questa canzone
  {genre} mi fa venire il mal di testa
  non mettermi mai più {artist}
  questa canzone la detesto
  boccia questo pezzo
  non è il mio genere
  {song} proprio no
  escludi {genre} dai miei gusti
  che noia questa musica
music_likeness:
  mi piace questa canzone
  adoro {artist}
  salva che amo {genre}
  questa è la mia canzone preferita
  ricorda che mi piace {song}
  che bella musica
  metti un cuore a questo brano
  aggiungi ai preferiti
  {artist} è il mio cantante preferito
  questa canzone mi piace un sacco
  segna che mi piace {genre}
  pollice in su per {song}
  amo questo pezzo
  mi piace molto {artist}
  salva questa canzone
  questo genere mi piace
  {song} è bellissima
  ricordati che ascolto volentieri {genre}
  che pezzo fantastico
  la adoro questa
  mi fa impazzire {artist}
  aggiungi {song} alle mie preferite
  bella questa
  voglio più canzoni come questa
music_query:
  che canzone è questa
  chi canta questa canzone
  di che anno è {song}
  come si chiama questo brano
  chi ha scritto {song}
  in che album c'è {song}
  che cosa sto ascoltando
  titolo della canzone
  di chi è questo pezzo
  quando è uscita {song}
  quali sono le canzoni più famose di {artist}
  che genere è questo
  dimmi il nome dell'artista
  quanto dura questa canzone
  {artist} ha un nuovo album
  chi suona la chitarra in questo brano
  cosa c'è dopo nella playlist
  qual è l'ultimo disco di {artist}
  riconosci questa musica
  chi ha vinto Sanremo con {song}
  da che film è questa colonna sonora
  che canzone è appena passata
  quante canzoni ha la playlist
  il testo di {song}
music_settings:
  attiva la riproduzione casuale
  ripeti questa canzone
  metti in ordine casuale
  disattiva la ripetizione
  ripeti la playlist di {artist}
  togli la modalità shuffle
  riproduzione casuale
  mescola le canzoni
  ripeti all'infinito
  attiva il crossfade
  metti la musica in loop
  disattiva la riproduzione casuale
  modalità ripetizione singola
  equalizzatore su {genre}
  migliora la qualità audio
  riproduci in alta qualità
  spegni il loop
  ordina la playlist per titolo
  imposta il timer della musica a {duration}
  non ripetere più le canzoni
  mescola la playlist {genre}
  attiva la modalità senza pause
  rimetti l'ordine normale
  ripeti l'album
news_query:
  quali sono le ultime notizie
  dimmi le notizie di {topic}
  cosa è successo oggi a {city}
  leggimi i titoli del giornale
  ci sono novità su {topic}
  notizie da {city}
  cosa dicono i telegiornali
  aggiornami sulle notizie
  che cosa succede nel mondo
  le notizie principali di {day}
  cosa è successo in {country}
  titoli di {topic}
  ultime su {person}
  il giornale di oggi
  notizie di {topic} in breve
  ci sono notizie importanti
  leggimi la rassegna stampa
  che si dice in città
  fammi un riassunto delle notizie
  cosa riportano i giornali su {company}
  breaking news
  cosa è successo stanotte
  hai notizie sul {topic}
  raccontami le notizie locali di {city}
play_audiobook:
  riprendi l'audiolibro
  leggimi {book}
  fai partire l'audiolibro {book}
  continua il libro da dove ero
  metti il capitolo {number} di {book}
  ascolta l'audiolibro
  voglio ascoltare un libro
  riparti dall'ultimo capitolo
  fammi ascoltare {book}
  audiolibro per favore
  metti {book} letto da un attore
  torna indietro di un capitolo
  leggi il prossimo capitolo
  fai partire un libro per addormentarmi
  continua la lettura di {book}
  un audiolibro di {person}
  riproduci il mio audiolibro
  ricomincia {book} dall'inizio
  vai avanti nel libro
  raccontami {book}
  metti un audiolibro giallo
  riprendi la storia di ieri sera
  fammi sentire un romanzo
  audiolibro {book}
play_game:
  giochiamo a {game}
  voglio fare un gioco
  facciamo una partita a {game}
  avvia {game}
  ho voglia di giocare
  sfidami a {game}
  mi annoio giochiamo
  proponimi un gioco
  gioca con me
  iniziamo {game}
  facciamo un quiz su {topic}
  un gioco per bambini
  apri {game}
  rivincita a {game}
  chi vince a {game}
  giochiamo insieme a qualcosa
  lancia un dado
  testa o croce
  facciamo un gioco di parole
  un indovinello
  partita veloce a {game}
  mettimi alla prova
  gioco a {game} contro di te
  inventa un gioco
play_music:
  metti {song}
  fammi ascoltare {artist}
  suona un po' di {genre}
  riproduci {song} di {artist}
  metti la musica
  voglio sentire {genre}
  musica per favore
  fai partire la mia playlist
  qualcosa di {artist}
  metti il nuovo album di {artist}
  canzoni per {event}
  suonami {song}
  fammi sentire qualcosa di allegro
  riproduci la musica {room}
  metti su un po' di {genre}
  musica di sottofondo
  le canzoni più famose di {artist}
  fai partire {song}
  voglio ballare metti qualcosa
  ascoltiamo {artist}
  musica {genre} {room}
  accendi la musica
  playlist {genre}
  metti la mia canzone preferita
play_podcasts:
  metti il podcast {podcast}
  riproduci l'ultima puntata di {podcast}
  fammi sentire un podcast su {topic}
  continua il podcast
  ascoltiamo {podcast}
  passa alla prossima puntata
  riprendi {podcast}
  c'è un nuovo episodio di {podcast}
  voglio ascoltare un podcast
  puntata precedente
  podcast di {topic}
  metti il mio podcast preferito
  fai partire {podcast} dall'inizio
  riproduci il podcast che ascoltavo ieri
  ascolta l'episodio {number} di {podcast}
  trovami un podcast divertente
  podcast per il viaggio
  manda avanti il podcast di {duration}
  iscriviti a {podcast} e fallo partire
  metti un podcast di {person}
  episodio nuovo di {podcast}
  continua l'episodio
  podcast sulla {topic}
  ascoltiamo la puntata di {day} di {podcast}
play_radio:
  metti {station}
  accendi la radio
  sintonizzati su {station}
  fammi ascoltare la radio
  cambia stazione radio
  metti una radio di {genre}
  radio per favore
  trovami una stazione di {genre}
  ascoltiamo {station}
  passa a {station}
  metti la radio locale
  accendi la radio {room}
  voglio sentire la radio
  sintonizza la frequenza {number}
  radio del traffico
  metti il giornale radio
  una radio con musica italiana
  stazione successiva
  torna a {station}
  fammi sentire la diretta di {station}
  radio sportiva
  cerca una radio di {city}
  metti la radio che ascoltavo prima
  radio {station}
qa_currency:
  quanto vale l'euro in {currency}
  converti {amount} euro in {currency}
  qual è il cambio con {currency}
  quanti {currency} sono {amount} euro
  il cambio euro {currency} di oggi
  quanto costa un dollaro in euro
  tasso di cambio {currency}
  {amount} {currency} in euro
  cambio valuta
  l'euro è forte rispetto ai {currency}
  quanto ricevo cambiando {amount} euro in {currency}
  che moneta usano in {country}
  quotazione dei {currency}
  il {currency} è salito
  convertimi {amount} {currency}
  a quanto sta il cambio oggi
  quanti euro servono per {amount} {currency}
  valore del {currency}
  cambia {amount} euro
  il cambio conviene adesso
  quanto vale il bitcoin
  euro contro {currency}
  mi fai la conversione in {currency}
  quanto valgono {amount} euro all'estero
qa_definition:
  cosa significa {word}
  definisci {word}
  qual è il significato di {word}
  che vuol dire {word}
  spiegami la parola {word}
  dammi un sinonimo di {word}
  definizione di {word}
  {word} cosa vuol dire
  come si usa la parola {word}
  il contrario di {word}
  che cos'è un {word}
  spiegami il termine {word}
  da dove viene la parola {word}
  mi traduci {word} in inglese
  significato
  cosa intendi per {word}
  cerca {word} sul dizionario
  come si scrive {word}
  {word} è una parola italiana
  fammi un esempio con {word}
  sinonimi di {word}
  etimologia di {word}
  cosa vuol dire esattamente {word}
  qual è la definizione del vocabolario di {word}
qa_factoid:
  chi era {person}
  quanto è alto {mountain}
  dove è nato {person}
  quanti abitanti ha {city}
  qual è la capitale della Francia
  quando è morto {person}
  qual è la capitale di {country}
  chi ha inventato la radio
  quanto è lungo il Po
  in che anno è caduto il muro di Berlino
  chi ha dipinto la Gioconda
  quante regioni ha l'Italia
  dove si trova {mountain}
  cosa ha scoperto {person}
  quanto dista la luna
  chi ha scritto la Divina Commedia
  qual è il fiume più lungo del mondo
  quanti anni aveva {person}
  che lingua si parla in {country}
  quando è stata fondata {city}
  chi è il presidente della Repubblica
  qual è l'animale più veloce
  dimmi qualcosa su {person}
  perché è famosa {city}
qa_maths:
  quanto fa {number} per {number}
  calcola {amount} diviso {number}
  quanto fa {number} più {amount}
  qual è la radice quadrata di {amount}
  il {percent} per cento di {amount}
  {amount} meno {number} quanto fa
  moltiplica {number} per {number}
  somma {number} e {number}
  {number} al quadrato
  quanto fa {amount} fratto {number}
  fai un calcolo per me
  {number} elevato alla terza
  dividi {amount} in {number} parti
  quanto resta se tolgo {number} da {amount}
  quant'è il doppio di {amount}
  calcolami lo sconto del {percent} per cento su {amount} euro
  la metà di {amount}
  {number} virgola cinque per {number}
  qual è la media tra {number} e {amount}
  quanto fa {number} alla {number}
  sottrai {number} da {amount}
  quanti minuti ci sono in {number} ore
  il triplo di {number}
  risolvi {number} per {number} meno {number}
qa_stock:
  come vanno le azioni {company}
  quanto valgono le azioni di {company}
  com'è andata la borsa oggi
  il titolo {company} è salito
  dammi la quotazione di {company}
  come ha chiuso {company}
  andamento della borsa di Milano
  le azioni {company} sono in calo
  quanto vale {company} in borsa
  a quanto sta il FTSE MIB
  conviene comprare azioni {company}
  prezzo del titolo {company}
  {company} ha guadagnato oggi
  come è aperta la borsa
  aggiornami sui miei titoli
  quotazione {company}
  quanto ha perso {company} questa settimana
  le azioni di {company} rendono
  dividendo di {company}
  Wall Street com'è andata
  il valore delle azioni {company} adesso
  titoli in crescita oggi
  chiusura di borsa di {day}
  come si muove {company}
""")

_RECOMMENDATION_TO_WEATHER = parse_blocks("""
recommendation_events:
  cosa c'è da fare {day} a {city}
  ci sono concerti {day}
  consigliami un evento a {city}
  che spettacoli ci sono {day}
  quali mostre ci sono a {city}
  eventi in zona {day}
  dove posso andare stasera
  c'è qualche festa {day}
  suggeriscimi qualcosa da fare nel fine settimana
  che sagre ci sono vicino a {city}
  c'è un concerto di {artist}
  cosa si fa di bello {day}
  programmi per {day} sera
  teatro a {city} {day}
  ci sono mercatini {day}
  eventi per bambini a {city}
  dove si balla {day}
  che manifestazioni ci sono in città
  proponimi un'uscita per {day}
  festival a {city}
  c'è qualcosa di interessante da vedere {day}
  iniziative culturali a {city}
  vorrei andare a un evento {day}
  cosa organizzano a {city} questo weekend
recommendation_locations:
  consigliami {place} a {city}
  dove trovo {place} qui vicino
  qual è il miglior ristorante di {city}
  c'è {place} aperto adesso
  suggeriscimi {place} in centro
  dove posso mangiare bene a {city}
  conosci {place} carino
  dove vado a fare colazione
  un posto tranquillo per studiare
  il bar più vicino
  dove posso comprare {item}
  mi consigli un albergo a {city}
  c'è una stazione di servizio qui vicino
  trovami {place} economico
  dove si mangia il pesce a {city}
  posti belli da visitare a {city}
  {place} con parcheggio
  dove porto {name} a cena
  c'è un bancomat nei dintorni
  cercami {place} aperto {day}
  il parco più bello di {city}
  dov'è {place} più vicino
  quale pizzeria mi consigli
  un locale dove ascoltare musica dal vivo
recommendation_movies:
  consigliami un film
  che film di {movie_genre} mi consigli
  cosa danno al cinema {day}
  suggeriscimi una {movie_genre}
  quale film vedo stasera
  un bel film di {movie_genre} da vedere
  cosa guardo stasera
  film da vedere con i bambini
  quali film sono usciti questa settimana
  serie tv da non perdere
  un film simile a quello di ieri
  mi proponi un film romantico
  c'è qualche film nuovo su {movie_genre}
  quale film ha vinto l'oscar
  film italiani belli
  che cosa danno in tv stasera
  consigliami un film di {person}
  un film per una serata tra amici
  dammi un titolo di {movie_genre}
  film più visti del momento
  che film fanno al cinema di {city}
  cerca un film da vedere in famiglia
  qualche documentario interessante
  mi serve un film che faccia ridere
social_post:
  pubblica su {social} che sono a {city}
  scrivi un post su {social}
  condividi questa foto su {social}
  twitta che sto arrivando
  lamentati su {social} del ritardo
  metti un post per {name}
  posta una storia su {social}
  aggiorna il mio stato
  scrivi sul mio profilo che sono in vacanza
  fai gli auguri a {name} su {social}
  condividi la mia posizione su {social}
  pubblica il video di {day}
  carica le foto di {event}
  scrivi un commento sotto il post di {name}
  tagga {name} nella foto
  metti online questa foto
  posta che la serata è stata fantastica
  condividi l'articolo su {topic}
  invia un messaggio pubblico a {name}
  fai un post sul mio compleanno
  rispondi al tweet di {name}
  scrivi a tutti su {social} che {event} è rinviato
  pubblica un sondaggio su {social}
  segnala il disservizio su {social}
social_query:
  cosa c'è di nuovo su {social}
  ho notifiche su {social}
  cosa ha pubblicato {name}
  chi ha messo mi piace alla mia foto
  leggimi gli aggiornamenti di {social}
  ci sono messaggi su {social}
  quanti follower ho
  chi mi ha taggato
  che cosa scrivono i miei amici
  ha risposto qualcuno al mio post
  novità dai miei contatti
  controlla {social}
  cosa fa {name} in questi giorni
  quanti like ha la mia foto
  chi mi ha seguito {day}
  ultime storie di {name}
  ci sono commenti nuovi
  di cosa si parla su {social}
  mi ha scritto qualcuno su {social}
  cosa va di moda su {social}
  chi è online adesso
  il mio post ha avuto successo
  leggimi i commenti alla mia foto
  notifiche
takeaway_order:
  ordina {dish} {restaurant}
  voglio ordinare {dish} a domicilio
  fammi portare {dish}
  prenota {dish} da asporto {time}
  ordina la cena {restaurant}
  mi ordini {dish} per {time}
  ho fame ordina qualcosa
  prendimi {dish} e una bibita
  stasera cena a domicilio
  ordina il solito {restaurant}
  fai arrivare {dish} a casa
  vorrei {dish} consegnato {time}
  ordina da mangiare per {number} persone
  prenota il ritiro di {dish}
  un ordine di {dish} per favore
  ripeti l'ultimo ordine
  chiedi {restaurant} {dish} da portare via
  pranzo a domicilio
  aggiungi {dish} all'ordine
  ordina {dish} con consegna rapida
  fammi consegnare la cena {time}
  manda un ordine {restaurant}
  {dish} a domicilio
  ordinami del cibo cinese
takeaway_query:
  a che punto è il mio ordine
  quando arriva la pizza
  fanno consegne {restaurant}
  {restaurant} fa asporto
  quanto costa la consegna {restaurant}
  lo stato della mia ordinazione
  il fattorino è partito
  quanto manca alla consegna
  {restaurant} è aperto per l'asporto
  chi consegna {dish} qui vicino
  si può ritirare da loro
  il mio ordine è stato confermato
  quanto tempo ci mettono a consegnare
  fanno consegne a domicilio {day}
  ci sono spese di consegna
  dov'è il mio cibo
  l'ordine è in ritardo
  accettano la carta {restaurant}
  qual è il menù da asporto {restaurant}
  fino a che ora consegnano
  è arrivato il fattorino
  che ristoranti portano a casa
  quanto ho speso per l'ordine
  hanno ricevuto il mio ordine
transport_query:
  a che ora parte {vehicle} per {city}
  quanto ci vuole per andare a {city}
  come arrivo {destination}
  c'è {vehicle} {time}
  orari di {vehicle} per {city}
  qual è il percorso più veloce {destination}
  quando passa il prossimo autobus
  il treno per {city} è in ritardo
  da che binario parte il treno
  come ci arrivo in metro
  quante fermate mancano
  qual è la strada per {city}
  quanto dista {city}
  {vehicle} per {city} è in orario
  devo cambiare per arrivare {destination}
  l'ultimo treno di stasera a che ora è
  come posso raggiungere {destination} con i mezzi
  c'è sciopero dei mezzi {day}
  a che ora arrivo a {city} se parto {time}
  indicazioni per {destination}
  il volo per {city} parte in orario
  quale linea va {destination}
  quanto costa il viaggio per {city}
  dove prendo {vehicle}
transport_taxi:
  chiamami un taxi
  prenota un taxi {destination}
  mi serve un taxi {time}
  manda un taxi a casa
  taxi per {city} {day}
  chiama un'auto con conducente
  taxi
  prenotami un passaggio {destination}
  fammi venire a prendere
  puoi chiamare un taxi per {number} persone
  mi serve una macchina {destination}
  un taxi qui sotto tra {duration}
  ordina un uber
  quanto costa un taxi {destination}
  trovami un taxi libero
  prenota una corsa {time}
  devo andare {destination} chiama un taxi
  taxi {destination} subito
  voglio un taxi per {day}
  mandami una macchina all'indirizzo di casa
  fammi portare {destination}
  un taxi grande per le valigie
  chiama il radiotaxi
  prenota un'auto per domattina
transport_ticket:
  compra un biglietto per {city}
  prenota il treno per {city} {day}
  prendimi due biglietti per {vehicle}
  voglio un biglietto di andata e ritorno per {city}
  acquista il biglietto {day}
  prenota un posto su {vehicle}
  biglietto per {city}
  mi servono {number} biglietti per {city}
  prenota un volo per {city}
  fammi un biglietto dell'autobus
  compra l'abbonamento della metro
  prenota la cuccetta sul treno per {city}
  un biglietto di sola andata {day}
  cambia il mio biglietto a {day}
  posto finestrino per {city}
  biglietto in prima classe per {city}
  prendi i biglietti del traghetto
  quanto costa il biglietto per {city} compralo
  voglio prenotare il treno {time}
  acquista un biglietto ridotto
  riserva due posti sul treno di {time}
  fammi il check in per il volo
  biglietti per {city} andata {day}
  prenotami un viaggio a {city}
transport_traffic:
  c'è traffico {destination}
  com'è il traffico in tangenziale
  ci sono code per {city}
  la strada per {city} è libera
  quanto traffico c'è adesso
  ci sono incidenti in autostrada
  com'è la situazione sulle strade
  traffico
  ci sono lavori in corso verso {city}
  conviene prendere l'autostrada
  quanto ci metto in macchina con questo traffico
  la circonvallazione è bloccata
  notizie sul traffico di {city}
  c'è coda al casello
  posso arrivare {destination} senza traffico
  incidenti sulla strada di casa
  ci sono rallentamenti {destination}
  com'è il traffico {time}
  strade chiuse a {city}
  è intasato il centro
  percorso alternativo per evitare la coda
  traffico in uscita da {city}
  c'è traffico sul raccordo
  dimmi se trovo traffico {destination}
weather_query:
  che tempo fa {day}
  pioverà {day} a {city}
  serve l'ombrello {day}
  quanti gradi ci sono a {city}
  com'è il meteo a {city}
  farà freddo {day}
  c'è il sole a {city}
  previsioni del tempo
  nevica {day}
  devo mettere il cappotto
  che temperatura c'è fuori
  ci sarà vento {day}
  come sarà il tempo nel fine settimana
  arriva {weather} a {city}
  meteo
  il tempo migliora {day}
  quanta umidità c'è
  posso andare al mare {day}
  ci sarà {weather} {day}
  a che ora smette di piovere
  che tempo troverò a {city} {day}
  fa caldo oggi
  è prevista {weather}
  le previsioni per la settimana
""")

VARIED: dict[str, tuple[str, ...]] = {
    **_ALARM_TO_DATETIME,
    **_EMAIL_TO_LISTS,
    **_MUSIC_TO_QA,
    **_RECOMMENDATION_TO_WEATHER,
}
TEMPLATES: dict[str, tuple[str, ...]] = {intent: varied + EVERYDAY[intent] for intent, varied in VARIED.items()}


def template_kind(intent: str, index: int) -> str:
    """ "varied" or "everyday": which of the two lists `TEMPLATES[intent][index]` comes from, so that
    accuracy can be read apart on the two kinds of held-out phrasing."""
    return "varied" if index < len(VARIED[intent]) else "everyday"
