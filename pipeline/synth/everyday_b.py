"""Everyday phrasings, iot_cleaning … music_settings (see `pipeline.synth.everyday`)."""

from __future__ import annotations

from pipeline.synth.blocks import parse_blocks

EVERYDAY_IOT_TO_MUSIC = parse_blocks("""
iot_cleaning:
  accendi il robot aspirapolvere
  pulisci {room}
  avvia l'aspirapolvere
  fai partire il robot per le pulizie
  passa l'aspirapolvere
  pulisci casa
  aspira il pavimento {room}
  manda l'aspirapolvere {room}
  inizia a pulire
  avvia il robot {time}
  pulisci la casa {day}
  fai le pulizie {room}
  accendi il robot pulitore
  metti in funzione l'aspirapolvere
  lava il pavimento
  fai pulire casa {time}
  pulizia {room}
  puoi pulire {room}
  il robot deve pulire {room}
  avvia la pulizia della casa
  aspirapolvere {room}
  fai partire la pulizia {day}
  pulisci tutta la casa
  manda il robot {room}
iot_coffee:
  fai il caffè
  preparami un caffè
  un caffè per favore
  voglio un caffè
  mi fai un caffè
  accendi la macchinetta del caffè
  prepara un caffè lungo
  fammi un espresso
  caffè
  prepara {number} caffè
  mi prepari un cappuccino
  fai un caffè macchiato
  avvia la macchina del caffè
  caffè {time}
  fammi un caffè forte
  un espresso per favore
  prepara il caffè per tutti
  vorrei un caffè
  fai un caffè americano
  preparami un caffè {time}
  mi serve un caffè
  fai partire il caffè
  caffè doppio per favore
  prepara il caffè {day} mattina
iot_hue_lightchange:
  cambia il colore delle luci
  voglio una luce {color}
  metti le luci {color}
  cambia colore alla luce {room}
  fai la luce {color}
  imposta la luce {color} {room}
  cambia la luce in {color}
  voglio la luce {color}
  colore {color} per le luci
  metti un colore diverso alle luci
  cambia il colore della lampada {room}
  metti luci colorate {room}
  rendi la luce {color}
  cambia le luci {room} in {color}
  imposta il colore {color}
  metti la lampada {color}
  luce {color} {room}
  cambia colore
  colora la luce di {color}
  fai le luci {color} {room}
  puoi cambiare il colore della luce
  imposta le luci su {color}
  metti una luce calda
  cambia il colore della luce {room}
iot_hue_lightdim:
  abbassa la luce
  abbassa le luci {room}
  diminuisci la luce
  luce più bassa
  riduci la luminosità
  abbassa la luminosità
  luci più basse {room}
  abbassa un po' la luce
  diminuisci le luci {room}
  luce al minimo
  riduci le luci
  porta la luce al {percent} per cento più bassa
  meno luce per favore
  attenua le luci {room}
  abbassa la lampada
  luce soffusa {room}
  la luce è troppo forte abbassala
  diminuisci la luminosità delle luci
  abbassa l'intensità della luce
  riduci la luce {room}
  luci soffuse
  abbassa un po' le luci {room}
  metti la luce più bassa
  meno luminosità {room}
iot_hue_lightoff:
  spegni le luci
  spegni la luce {room}
  spegni tutte le luci
  luce spenta
  spegni la lampada
  spegni tutte le luci di casa
  puoi spegnere la luce
  spegni la luce per favore
  luci spente {room}
  spegni le luci {room} per favore
  spegni la lampada {room}
  spegni tutto
  spegni la luce alle {number}
  spegni le luci della casa
  togli la luce
  spegni la luce grande
  via la luce
  luci off
  spegni tutte le lampade {room}
  spegni la luce sul comodino
  spegnimi la luce
  spegni la luce adesso
  spegni la luce tra {duration}
  chiudi la luce
iot_hue_lighton:
  accendi le luci
  accendi la luce {room}
  accendi tutte le luci
  luce accesa
  accendi la lampada
  accendi tutte le luci di casa
  puoi accendere la luce
  accendi la luce per favore
  luci accese {room}
  accendi le luci {room} per favore
  accendi la lampada {room}
  accendi la luce alle {number}
  accendi le luci della casa
  dammi la luce
  accendi la luce grande
  luci on
  accendi tutte le lampade {room}
  accendi la luce sul comodino
  accendimi la luce
  accendi la luce adesso
  accendi la luce {room} {time}
  luce per favore
  apri la luce
  voglio la luce accesa in casa
iot_hue_lightup:
  alza la luce
  alza le luci {room}
  aumenta la luce
  luce più alta
  aumenta la luminosità
  più luminosità
  luci più alte {room}
  alza un po' la luce
  aumenta le luci {room}
  luce al massimo
  alza la luminosità
  alza la luce al {percent} per cento
  più luce {room}
  la luce è troppo bassa alzala
  aumenta l'intensità della luce
  alza la lampada
  luci al massimo {room}
  aumenta un po' le luci
  metti la luce più forte
  più luminoso per favore
  aumenta un po' la luminosità {room}
  alza un po' le luci {room}
  rendi la luce più forte
  c'è poca luce alzala
iot_wemo_off:
  spegni quella presa
  spegni {device} {room}
  disattivami {device}
  spegni la spina
  togli la corrente {room}
  spegni la presa intelligente
  stacca la presa {room}
  spegni {device} per favore
  disattiva la presa {room}
  puoi spegnere {device} per favore
  spegni la presa smart {room}
  spegni {device} alle {number}
  togli la spina a {device}
  spegni la presa dove è attaccato {device}
  disattiva la spina intelligente
  spegni {device} adesso
  stacca la corrente a {device}
  spegni la presa tra {duration}
  interrompi {device} adesso
  presa spenta
  spegnimi {device}
  disattiva {device} {room}
  spegni la presa della cucina
  spegni {device} che è acceso
iot_wemo_on:
  accendi quella presa
  accendi {device} che sta {room}
  attivami {device}
  accendi la spina
  dai corrente {room}
  accendi la presa intelligente
  attacca la presa {room}
  accendi {device} per favore
  attiva la presa {room}
  puoi accendere {device} per favore
  accendi la presa smart {room}
  accendi {device} alle {number}
  accendi la presa dove è attaccato {device}
  attiva la spina intelligente
  accendi {device} adesso
  fai partire {device} adesso
  accendi la presa tra {duration}
  presa accesa
  accendimi {device}
  attiva {device} {room}
  accendi la presa della cucina
  metti in moto {device}
  collega {device}
  avvia {device} {room}
lists_createoradd:
  aggiungi {item} alla lista
  metti {item} nella lista della spesa
  crea una lista {list}
  aggiungi anche {item} alla lista {list}
  una nuova lista {list}
  metti in lista {item}
  aggiungi alla lista {list} {item}
  crea una nuova lista
  inserisci {item} nella lista {list}
  aggiungi {item} e {item} alla lista
  fammi una lista {list}
  scrivi {item} nella lista
  segna {item} nella lista {list}
  aggiungi un elemento alla lista {list}
  puoi aggiungere {item} alla lista
  ricordati di mettere {item} nella lista
  crea la lista {list}
  aggiungi {item} alla spesa
  metti {item} tra le cose da comprare
  nella lista {list} aggiungi {item}
  apri una lista nuova {list}
  aggiungi alla lista
  devo comprare {item} aggiungilo alla lista
  lista {list} aggiungi {item}
lists_query:
  cosa c'è nella lista
  leggimi la lista
  cosa c'è sulla lista {list}
  mostrami le mie liste
  cosa devo comprare oggi
  leggi la lista {list}
  che cosa ho nella lista della spesa
  dimmi la lista {list}
  quali liste ho creato
  c'è {item} nella lista {list}
  cosa ho scritto nella lista
  fammi vedere la lista {list}
  quante cose ci sono nella lista
  ho messo {item} nella lista
  leggimi tutte le liste
  com'è la lista {list}
  controlla la lista {list}
  la mia lista {list}
  apri la lista {list}
  cosa manca nella lista della spesa
  che liste ci sono
  dimmi cosa c'è nella lista {list}
  elenca la lista {list}
  leggi le mie liste
lists_remove:
  togli {item} dalla lista
  cancella {item} dalla lista {list}
  rimuovi {item} dalla lista {list}
  elimina tutta la lista {list}
  cancella la lista
  togli dalla lista {list} {item}
  elimina {item} dalla lista
  rimuovi la lista {list}
  cancella tutta la lista {list}
  svuota la lista
  togli {item} dalla lista della spesa
  elimina un elemento dalla lista
  cancella {item}
  rimuovi {item}
  elimina tutte le mie liste
  togli l'ultimo elemento dalla lista
  puoi togliere {item} dalla lista
  cancella ogni cosa dalla lista {list}
  ho comprato {item} toglilo dalla lista
  elimina la mia lista {list}
  rimuovi tutto dalla lista
  togli {item} e {item} dalla lista
  cancella la voce {item}
  lista {list} elimina {item}
music_dislikeness:
  non mi piace questa musica
  questa canzone non mi piace
  non mi piace {artist}
  non mi piace la canzone {song}
  odio questa canzone
  non mi piace la musica {genre}
  questa canzone è brutta
  non sopporto questa canzone
  detesto {artist}
  non mi piace per niente questo brano
  questa musica non mi piace
  io odio {genre}
  non mi piace questo artista
  che brutta canzone
  questa non mi piace
  non fa per me questa musica
  odio la canzone {song}
  non mi è mai piaciuta la musica di {artist}
  questo brano non mi piace
  non mi piacciono queste canzoni
  non mi piace questa playlist
  detesto questa musica
  che musica brutta
  non sopporto le canzoni di {artist}
music_likeness:
  mi piace questa musica
  questa canzone mi piace
  mi piace {artist}
  mi piace la canzone {song}
  amo questa canzone
  mi piace la musica {genre}
  questa canzone è bellissima
  adoro questa canzone
  amo {artist}
  mi piace molto questo brano
  questa musica mi piace
  io adoro {genre}
  mi piace questo artista
  che bella canzone
  questa mi piace
  salva questa canzone tra i preferiti
  adoro la canzone {song}
  mi è sempre piaciuto {artist}
  questo brano mi piace
  mi piacciono queste canzoni
  mi piace questa playlist
  amo questa musica
  metti mi piace a questa canzone
  sono un fan di {artist}
music_query:
  che canzone è
  come si chiama questa canzone
  chi canta
  chi è l'artista
  di chi è questa canzone
  che musica è questa
  qual è il titolo di questa canzone
  chi canta {song}
  che canzone sta suonando
  dimmi il nome della canzone
  come si chiama il cantante
  di che album è questa canzone
  chi è il cantante di questa canzone
  in che anno è uscita {song}
  che genere è questa musica
  di chi è {song}
  che brano sta suonando
  chi suona adesso
  dimmi chi canta questa canzone
  come si intitola questo pezzo
  in che anno è uscita questa canzone
  quali canzoni ha fatto {artist}
  qual è l'ultima canzone di {artist}
  il titolo della canzone
music_settings:
  metti la riproduzione casuale
  attiva lo shuffle
  ripeti la canzone
  ripeti questo brano
  riproduzione casuale per favore
  disattiva lo shuffle
  togli la riproduzione casuale
  ripeti la playlist
  attiva la ripetizione
  metti in ripetizione
  disattiva la modalità casuale
  shuffle
  ordine casuale per favore
  ripeti tutto
  non ripetere la canzone
  togli la ripetizione
  attiva la modalità casuale
  riproduci in ordine casuale
  metti la playlist in ordine
  ripeti l'ultima canzone
  mescola le canzoni della playlist
  cambia le impostazioni della musica
  attiva la dissolvenza tra le canzoni
  ripeti all'infinito questo brano
""")
