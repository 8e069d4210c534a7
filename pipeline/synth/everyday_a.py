"""Everyday phrasings, alarm_query … general_quirky (see `pipeline.synth.everyday`)."""

from __future__ import annotations

from pipeline.synth.blocks import parse_blocks

EVERYDAY_ALARM_TO_GENERAL = parse_blocks("""
alarm_query:
  quali sveglie ho {day}
  a che ora è la mia sveglia
  ho messo la sveglia per {day}
  controlla le mie sveglie
  dimmi le sveglie di {day}
  c'è una sveglia {time}
  quando suona la mia sveglia
  fammi sentire che sveglie ci sono
  la sveglia per {day} è impostata
  per che ora è la sveglia di {day}
  quali allarmi ho impostato
  hai una sveglia per me {day}
  mi dici le sveglie attive
  quante sveglie ho per {day}
  ricordami a che ora suona la sveglia
  c'è già una sveglia per {day} mattina
  elencami gli allarmi
  la sveglia delle {number} è attiva
  puoi controllare la sveglia di {day}
  vorrei vedere le sveglie impostate
  mi sono messo la sveglia {time}
  che sveglia ho domattina
  dimmi se la sveglia è attiva
  sveglie per {day}
alarm_remove:
  cancella la sveglia di {day}
  elimina la sveglia {time}
  togli tutte le sveglie
  rimuovi la sveglia per {day}
  spegni la sveglia di {day} mattina
  disattiva tutte le sveglie
  cancella tutte le sveglie di {day}
  elimina l'allarme {time}
  togli la sveglia {time}
  puoi cancellare la sveglia di {day}
  per favore rimuovi tutte le sveglie
  cancella l'allarme di {day}
  disattiva la sveglia {time} di {day}
  non mi serve la sveglia {day}
  annulla la sveglia {time}
  elimina la sveglia del mattino
  togli l'allarme per {day}
  rimuovi tutti gli allarmi
  cancella la mia sveglia
  disattiva l'allarme {time}
  vorrei cancellare la sveglia di {day}
  elimina le sveglie della settimana
  leva la sveglia {time}
  sveglia di {day} da cancellare
alarm_set:
  imposta la sveglia {time}
  metti una sveglia per {day} {time}
  svegliami {time} di {day}
  imposta un allarme {time}
  crea una sveglia {time}
  metti la sveglia alle {number}
  mi puoi svegliare {time}
  vorrei una sveglia per {day}
  imposta la sveglia per {day} mattina
  sveglia per {day} {time}
  mi metti la sveglia {time}
  programma la sveglia {time}
  aggiungi una sveglia {time} {day}
  mettimi un allarme per {day}
  per favore svegliami {time}
  imposta una nuova sveglia {time}
  metti l'allarme {day} {time}
  devo svegliarmi {time} metti la sveglia
  crea un allarme per {day}
  svegliami tra {duration}
  imposta la sveglia di tutti i giorni {time}
  sveglia {day} mattina {time}
  fammi svegliare {time}
  attiva una sveglia {time}
audio_volume_down:
  abbassa il volume {room}
  volume più basso
  abbassa un po' il volume
  riduci il volume
  puoi abbassare il volume
  abbassa l'audio
  il volume è troppo alto
  abbassa il volume della musica
  diminuisci il volume
  abbassa il volume di {number}
  volume giù
  più piano per favore
  metti il volume basso
  abbassa la voce
  riduci il volume al minimo
  abbassa il volume della televisione
  è troppo forte abbassa
  un po' più basso il volume
  scendi con il volume
  abbassa il volume della radio
  volume più basso {room}
  abbassa tutto
  riduci un po' il suono
  troppo rumore abbassa il volume
audio_volume_mute:
  metti il muto
  togli il volume
  muto
  silenzia tutto
  disattiva l'audio
  metti in silenzioso
  spegni il volume
  togli l'audio {room}
  silenzia la musica
  azzera il volume
  metti il volume a zero
  silenzio
  attiva il muto
  togli il suono per {duration}
  metti l'altoparlante in muto
  spegni l'audio
  disattiva il volume
  muto per favore
  silenzia il telefono
  non voglio sentire niente metti il muto
  togli la voce
  metti in muto la televisione
  audio spento
  silenzia l'audio {room}
audio_volume_other:
  imposta il volume a {number}
  a quanto è il volume
  metti il volume a metà
  volume al {percent} per cento
  che volume c'è
  cambia il volume
  regola il volume
  imposta il volume
  dimmi il livello del volume
  metti il volume normale
  volume a {number}
  qual è il volume attuale
  porta il volume al {percent} per cento
  sistema il volume
  volume medio per favore
  il volume va bene così
  metti il volume come prima
  imposta l'audio a {number}
  il volume è giusto
  torna al volume di prima
  regola l'audio {room}
  quanto è alto il volume
  livello del volume
  imposta il volume predefinito
audio_volume_up:
  alzami il volume
  alza il volume {room}
  volume più alto
  aumenta il volume
  alza un po' il volume
  puoi alzare il volume
  alza l'audio
  non si sente alza il volume
  aumenta il volume di {number}
  volume su
  più forte per favore
  metti il volume alto
  alza il volume della musica
  alza il volume al massimo
  alza il volume della televisione
  è troppo basso alza
  un po' più alto il volume
  sali con il volume
  alza il volume della radio
  volume più alto {room}
  aumenta un po' il suono
  non sento niente alza il volume
  alza la voce
  alza tutto
calendar_query:
  cosa ho in calendario {day}
  che appuntamenti ho {day}
  controlla il calendario di {day}
  ho impegni {day}
  quando ho {event}
  cosa c'è nel calendario
  mostrami gli appuntamenti di {day}
  a che ora ho {event}
  dimmi gli impegni di {day}
  che impegni ho questa settimana
  ho qualcosa in agenda {day}
  il mio calendario di {day}
  c'è {event} {day}
  controlla se sono libero {day}
  quali eventi ho {day}
  che cosa devo fare {day}
  quando è il prossimo appuntamento
  ho un appuntamento con {name}
  leggimi gli appuntamenti
  cosa devo fare {day} {time}
  com'è la mia agenda {day}
  ci sono eventi {day}
  guarda il calendario
  il prossimo impegno quando è
calendar_remove:
  cancella l'appuntamento di {day}
  elimina {event} dal calendario
  togli {event} dal calendario
  cancella {event}
  rimuovi l'appuntamento {time}
  elimina tutti gli appuntamenti di {day}
  cancella l'evento di {day}
  togli l'appuntamento con {name}
  cancella dal calendario {event} di {day}
  rimuovi {event} di {day}
  elimina l'evento {event}
  cancella gli impegni di {day}
  puoi cancellare {event}
  elimina l'appuntamento con {name}
  togli dal calendario l'impegno di {day}
  cancella tutti gli eventi
  rimuovi l'evento dal calendario
  cancella il promemoria di {event}
  elimina l'impegno {time}
  togli l'evento di {day} {time}
  annulla l'appuntamento di {day}
  rimuovi tutto dal calendario {day}
  cancella la riunione di {day}
  elimina gli eventi della settimana
calendar_set:
  aggiungi {event} al calendario
  metti {event} nel calendario {day}
  crea un appuntamento {day} {time}
  segna nel calendario {event}
  aggiungi un appuntamento con {name} {day}
  ricordami di {event} alle {number}
  crea un evento {event} {day}
  metti un appuntamento {day}
  segnami {event} {day} {time}
  aggiungi un evento {day}
  inserisci un appuntamento {time}
  fissa {event} per {day}
  mettimi in agenda {event}
  crea un promemoria per {event}
  aggiungi al calendario un appuntamento {day}
  segna un appuntamento con {name}
  programma {event} {day}
  nuovo evento {day} {time}
  metti in calendario la riunione di {day}
  ricordami di {event} {day}
  aggiungi {event} {day} {time}
  salva nel calendario {event}
  crea un appuntamento con {name} {time}
  ricordami che {day} ho {event}
cooking_query:
  quanto deve cuocere {food}
  per quanto tempo cuoce {food}
  a quanti gradi cuocio {food}
  quante calorie ci sono in {food}
  dove si conserva {food}
  quanti giorni si tiene in frigo {food}
  si può congelare {food}
  che temperatura serve per {food}
  quanto sale va nella pasta
  come capisco quando {food} è cotta
  quanto tempo in forno per {food}
  cosa vuol dire cuocere a bagnomaria
  che vino va bene con {food}
  posso sostituire il burro con l'olio
  quanti grammi di pasta a persona
  è sano mangiare {food}
  quanto ci mette a cuocere il riso
  a che temperatura si cuoce la pizza
  {food} quante calorie ha
  si può scaldare {food} al microonde
  quanto tempo per le uova sode
  come si scongela {food}
  che differenza c'è tra lievito e bicarbonato
  quanto zucchero ci va nel tiramisù
cooking_recipe:
  ricetta per {food}
  come si fa {food}
  dimmi la ricetta di {food}
  come preparo {food}
  cerca la ricetta di {food}
  voglio cucinare {food}
  una ricetta veloce per la cena
  come si cucina {food}
  trovami una ricetta con {item}
  che ricetta posso fare con {item}
  insegnami la ricetta di {food}
  ingredienti per {food}
  cosa mi serve per fare {food}
  una ricetta facile per {food}
  come si prepara una torta
  dammi una ricetta vegetariana
  spiegami come si fa {food}
  ricette con {item}
  qual è la ricetta della nonna per {food}
  cosa cucino stasera
  mi dai una ricetta per il pranzo
  la preparazione di {food}
  i passaggi per fare {food}
  ricetta di {food} per {number} persone
datetime_convert:
  che ore sono a {city} quando qui sono {time}
  converti l'ora in ora di {city}
  {time} qui che ore sono a {city}
  quante ore di differenza ci sono con {city}
  che fuso orario ha {city}
  converti {time} nel fuso di {city}
  se qui sono {time} a {city} che ora è
  differenza di orario con {city}
  a {city} che ora sarà {time} italiane
  qual è il fuso di {city} rispetto a noi
  converti l'orario di {city}
  quante ore avanti è {city}
  quante ore indietro è {city}
  {time} ora di {city} in ora italiana
  dimmi la differenza di fuso orario con {city}
  se chiamo {city} {time} che ore sono lì
  trasforma {time} in ora di {city}
  converti il fuso orario
  che ora è a {city} rispetto all'italia
  ora di {city} quando qui sono {time}
  fuso orario di {city}
  di quante ore cambia l'ora a {city}
  che ore saranno a {city} {time}
  converti {time} da {city} a qui
datetime_query:
  che ora è
  mi dici che ore sono
  che giorno è
  che data è oggi
  quanti ne abbiamo oggi
  dimmi l'ora
  che giorno è domani
  in che anno siamo
  che ore sono adesso
  oggi che giorno è
  dimmi la data di oggi
  che giorno della settimana è
  quale giorno è {day}
  che data è domani
  mi dici la data
  che ore sono a {city} adesso
  che mese è
  l'ora per favore
  quanti giorni mancano a natale
  sai che ore sono
  che giorno era ieri
  dimmi che giorno è
  che ora fa adesso
  data e ora
email_addcontact:
  aggiungi {name} alla rubrica
  salva {name} nei contatti
  aggiungi un contatto
  salva l'email di {name}
  crea nuovo contatto per {name}
  aggiungi l'indirizzo di {name} ai contatti
  crea il contatto {name}
  salva questo indirizzo email
  metti {name} tra i contatti
  aggiungi questa email ai contatti
  salva il contatto di {name}
  inserisci un nuovo contatto
  registra l'email di {name}
  aggiungi {name} con la sua email
  salva la mail di {name} in rubrica
  crea un contatto per questa email
  aggiungi alla rubrica l'email di {name}
  memorizza il contatto di {name}
  salva {name} in rubrica
  puoi aggiungere {name} ai miei contatti
  aggiungi ai contatti chi mi ha scritto
  nuovo indirizzo email per {name}
  salva il nuovo contatto
  aggiorna l'email di {name}
email_query:
  controlla la posta
  ho nuove mail
  ci sono email nuove
  leggimi le email
  ho email da {name}
  controlla le mail di {day}
  leggi la posta in arrivo
  quante email ho
  è arrivata posta per me
  mi è arrivata una mail da {name}
  leggimi l'ultima email arrivata
  ci sono mail non lette
  controlla se ho email
  mostrami le email di {day}
  leggimi le mail di {name}
  ho ricevuto email {day}
  dimmi se ci sono nuove email
  cosa dice l'ultima mail
  email in arrivo
  controlla la casella email
  ci sono risposte da {name}
  leggimi la mail di lavoro
  quali email ho ricevuto
  apri la posta elettronica
email_querycontact:
  qual è il numero di {name}
  dammi l'email di {name}
  che numero ha {name}
  cerca il contatto di {name}
  qual è l'indirizzo di {name}
  trova {name} nei contatti
  mostrami il contatto di {name}
  hai l'email di {name}
  dimmi il numero di telefono di {name}
  cerca {name} nei contatti
  l'indirizzo email di {name}
  qual è il compleanno di {name}
  dove lavora {name}
  trovami il numero di {name}
  che email ha {name}
  ho il numero di {name}
  apri il contatto di {name}
  dimmi l'indirizzo di casa di {name}
  informazioni sul contatto {name}
  cerca in rubrica {name}
  il cellulare di {name}
  dimmi il cognome di {name}
  mostrami i dettagli di {name}
  leggimi il contatto di {name}
email_sendemail:
  invia una email a {name}
  manda una mail a {name}
  scrivi una email a {name}
  rispondi a {name}
  manda un'email a {name} per dire che arrivo
  invia la mail a {name}
  scrivi a {name} per email
  manda una email di lavoro a {name}
  rispondi alla mail di {name}
  invia un'email a {name} {day}
  scrivi una mail a {name} che ci vediamo {day}
  inoltra l'email a {name}
  manda un messaggio email a {name}
  componi una email per {name}
  invia una nuova email
  scrivi una mail
  rispondi all'ultima email
  manda una mail al mio capo
  invia una email con l'allegato a {name}
  manda la mail a {name} {time}
  scrivi a {name} una email di auguri
  mail a {name}
  manda una email a {name} e {name}
  inoltra l'ultima mail a {name}
general_greet:
  ciao ciao
  buongiorno a te
  ciao come va
  salve
  ehi ciao
  buonasera
  come stai
  ciao tutto bene
  buongiorno come stai
  ciao a te
  come va oggi amico
  buon pomeriggio a te
  ehi come stai
  salve come va
  ciao come ti senti
  buongiorno tutto bene
  ciao amica mia
  come va la giornata
  eccomi ciao
  ciao bella
  buonasera come stai
  ehi salve
  ciao come stai oggi
  hey ciao come va
general_joke:
  dimmi una barzelletta
  raccontami una battuta
  fammi una battuta
  conosci una barzelletta
  mi racconti una barzelletta
  dimmi qualcosa per ridere
  una barzelletta per favore
  raccontami qualcosa di divertente
  fammi ridere un po'
  dimmi una battuta divertente
  sai qualche barzelletta
  raccontami una barzelletta su {topic}
  dimmi una barzelletta divertente
  hai una battuta per me
  voglio ridere dimmi una battuta
  raccontami la barzelletta più bella
  dimmi un'altra battuta
  fammi una battuta su {topic}
  conosci una barzelletta sui carabinieri
  una battuta divertente
  barzelletta per favore
  raccontami una barzelletta corta
  dimmi una freddura
  fammi ridere con una barzelletta
general_quirky:
  come ti chiami tu
  quanti anni hai tu
  sei felice oggi
  mi ami
  sei intelligente
  chi ti ha creato
  hai una fidanzata
  ti piaccio
  cosa fai nel tempo libero
  sei una persona
  di che colore sono i tuoi occhi
  ti annoi
  qual è il tuo cibo preferito
  vuoi sposarmi
  dove abiti
  hai fame
  mangi anche tu
  sei stanca
  cosa ne pensi di me
  hai degli amici
  qual è il tuo film preferito
  ti piace la musica
  parlami di te
  sei sveglia
""")
