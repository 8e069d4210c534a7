"""Everyday phrasings, news_query … recommendation_movies (see `pipeline.synth.everyday`)."""

from __future__ import annotations

from pipeline.synth.blocks import parse_blocks

EVERYDAY_NEWS_TO_RECOMMENDATION = parse_blocks("""
news_query:
  dimmi le notizie
  ultime notizie
  le notizie di oggi
  quali sono le notizie di {topic}
  cosa dicono le notizie
  leggimi le notizie di {day}
  notizie su {topic}
  ci sono notizie da {city}
  dammi le ultime notizie di {topic}
  cosa succede nel mondo
  quali sono i titoli di oggi
  novità di oggi
  le notizie più importanti
  dimmi le notizie da {city}
  aggiornami sulle notizie di oggi
  ultime notizie di {topic}
  cosa c'è nel telegiornale
  notizie dall'italia
  le notizie del mattino
  che notizie ci sono
  leggimi le ultime notizie
  notizie in breve
  quali sono le notizie principali di {day}
  le notizie di {topic} a {city}
play_audiobook:
  metti l'audiolibro
  riprendi l'audiolibro {book}
  leggimi un libro
  fai partire l'audiolibro
  ascoltiamo {book}
  continua l'audiolibro
  metti {book} in audiolibro
  riproduci l'audiolibro {book}
  voglio ascoltare un audiolibro
  leggi {book}
  metti il libro che stavo ascoltando
  ricomincia l'audiolibro
  riprendi il libro
  vai al capitolo {number}
  l'audiolibro {book}
  metti un audiolibro per bambini
  continua a leggere {book}
  fammi ascoltare il libro {book}
  prossimo capitolo
  fai partire il libro {book}
  leggimi il prossimo capitolo
  torna al capitolo precedente
  apri l'audiolibro
  metti l'ultimo audiolibro
play_game:
  giochiamo
  facciamo un gioco
  gioca con me per favore
  giochiamo un po' a {game}
  voglio giocare a {game}
  inizia un gioco
  apri il gioco {game}
  facciamo {game}
  vuoi giocare con me
  avvia un gioco
  giochiamo insieme
  fammi giocare
  iniziamo una partita a {game}
  proponimi un gioco nuovo
  gioco {game}
  facciamo una partita
  voglio fare una partita a {game}
  che giochi conosci
  giochiamo a un quiz
  metti un gioco
  una partita a {game}
  iniziamo a giocare
  ho voglia di fare {game}
  giochiamo a qualcosa
play_music:
  metti una canzone
  metti {song} di {artist}
  fammi sentire {song}
  metti la musica di {artist}
  riproduci {song}
  voglio ascoltare {song}
  metti un po' di musica
  suona {song}
  fammi ascoltare un po' di musica
  metti un po' di musica {genre}
  riproduci la musica di {artist}
  metti qualcosa di {artist}
  voglio sentire una canzone di {artist}
  riproduci un po' di {genre}
  metti le canzoni di {artist}
  fai partire la musica
  suona qualcosa di {genre}
  metti la mia playlist
  ascoltiamo un po' di {artist}
  metti musica {room}
  fammi sentire qualcosa di {genre}
  metti musica per favore
  metti l'ultimo album di {artist}
  canzone {song}
play_podcasts:
  metti un podcast
  fammi ascoltare il podcast {podcast}
  riproduci il podcast {podcast}
  metti l'ultimo episodio di {podcast}
  voglio ascoltare un podcast adesso
  fai partire il podcast
  riprendi il podcast
  podcast {podcast}
  metti un podcast su {topic}
  ascoltiamo un podcast
  prossimo episodio
  metti la nuova puntata di {podcast}
  riproduci l'episodio di {day} di {podcast}
  continua il podcast {podcast}
  fammi sentire l'ultima puntata
  cerca un podcast di {topic}
  metti il podcast che ascoltavo
  riproduci un podcast
  vai all'episodio successivo
  episodio precedente del podcast
  voglio sentire {podcast}
  metti il podcast di ieri
  ascolta {podcast}
  un podcast di {topic}
play_radio:
  metti la radio
  accendi {station}
  voglio ascoltare la radio
  metti radio {station}
  ascoltiamo la radio
  fammi sentire {station}
  accendi la radio {room} per favore
  cambia radio
  metti una stazione radio
  la radio {station}
  sintonizza la radio su {station}
  metti la radio di {genre}
  riproduci {station}
  fai partire la radio
  voglio sentire {station}
  metti una radio
  passa alla radio {station}
  accendi la radio alle {number}
  vai alla stazione successiva
  la radio per favore
  ascolta {station}
  metti una radio locale
  radio di notizie
  cerca una stazione di {genre}
qa_currency:
  quanto vale il dollaro
  cambio euro {currency}
  quanti euro sono {amount} {currency}
  converti {amount} {currency} in euro
  quanto vale un euro in {currency}
  tasso di cambio euro {currency}
  a quanto sta il cambio con {currency}
  quanto costa un euro in {currency}
  converti {amount} euro
  qual è il valore dei {currency}
  {amount} euro in {currency}
  quanti {currency} mi danno per {amount} euro
  il cambio di oggi
  quanto vale la sterlina
  com'è il cambio euro dollaro
  converti in {currency}
  quanto valgono {amount} {currency} in euro
  dimmi il tasso di cambio
  cambio valuta {currency}
  quanto è il cambio con {currency} oggi
  valore dell'euro
  convertimi {amount} euro in {currency}
  quanto vale lo yen
  il cambio tra euro e {currency}
qa_definition:
  la definizione di {word}
  cosa vuol dire {word}
  significato di {word}
  che cosa significa {word}
  dammi la definizione di {word}
  cosa significa la parola {word}
  che significa {word}
  spiegami cosa vuol dire {word}
  {word} cosa significa
  qual è la definizione di {word}
  dimmi il significato di {word}
  cerca nel dizionario {word}
  cos'è {word}
  i sinonimi di {word}
  mi spieghi {word}
  la parola {word} cosa vuol dire
  come si definisce {word}
  cosa indica la parola {word}
  {word} significato
  spiega {word}
  che vuol dire la parola {word}
  definizione della parola {word}
  qual è il contrario di {word}
  l'origine della parola {word}
qa_factoid:
  chi è {person}
  quanto è alto il Monte Bianco
  in che regione si trova {city}
  chi ha inventato il telefono
  quanti anni aveva {person} quando è morto
  qual è la capitale della {country}
  quando è nato {person}
  quanto è lungo il fiume Po
  in quale regione è {mountain}
  chi è l'autore della Divina Commedia
  quante persone vivono a {city}
  quanti metri è alto {mountain}
  in che anno è morto {person}
  cosa ha fatto {person}
  qual è il fiume più lungo d'italia
  quanti abitanti ha la {country}
  che lingua parlano in {country}
  chi è l'autore della Gioconda
  quanto dista la luna dalla terra
  in che città è nato {person}
  chi era il primo presidente della repubblica
  qual è il lago più grande d'italia
  quando è stata fondata Roma
  qual è la moneta della {country}
qa_maths:
  quanto fa {number} più {number} più {number}
  quanto fa {amount} meno {number}
  {number} per {number}
  quanto fa {amount} diviso {number}
  calcola {number} per {number}
  quanto è {number} più {amount}
  fai {amount} diviso {number}
  la radice quadrata di {amount}
  calcola il {percent} per cento di {amount}
  quanto fa {number} al quadrato
  {amount} più {amount}
  quanto fa {number} moltiplicato {amount}
  fammi un calcolo
  calcola {amount} meno {amount}
  quanto è il {percent} per cento di {amount}
  dividi {amount} per {number}
  moltiplica {number} per {number} per favore
  fai la somma di {number} e {amount}
  quanto viene {amount} diviso {number}
  calcola la radice di {amount}
  {amount} diviso {number}
  quanto viene {number} per {number}
  togli {number} da {amount}
  calcolami {amount} più {number}
qa_stock:
  come vanno le azioni di {company}
  la quotazione {company}
  quanto vale il titolo {company}
  come va la borsa
  prezzo delle azioni {company}
  come ha chiuso la borsa oggi
  le azioni {company} sono salite
  quanto valgono le azioni {company} oggi
  dimmi come va {company} in borsa
  andamento delle azioni di {company}
  come è andata la borsa di milano
  il titolo {company} oggi
  quanto ha perso {company}
  quotazione delle azioni {company}
  borsa di oggi
  come sta andando {company}
  valore delle azioni di {company}
  la borsa è in rialzo
  le azioni di {company} sono scese
  come ha chiuso il titolo {company}
  quanto ha guadagnato {company} oggi
  il prezzo del titolo {company}
  azioni {company}
  com'è il mercato azionario oggi
recommendation_events:
  cosa c'è da fare {day}
  eventi a {city} {day}
  cosa posso fare {day} sera
  ci sono eventi a {city}
  consigliami qualcosa da fare {day}
  che concerti ci sono a {city}
  eventi di questo fine settimana
  cosa si fa a {city} {day}
  ci sono feste {day}
  che eventi ci sono in città
  consigliami un concerto
  cosa c'è a {city} questo weekend
  eventi per bambini {day}
  ci sono spettacoli a {city}
  dove posso andare {day} sera
  cosa succede in città {day}
  suggeriscimi un evento {day}
  mostre a {city} {day}
  che eventi ci sono stasera
  consigliami qualcosa da fare a {city}
  ci sono sagre {day}
  eventi musicali a {city}
  che si fa {day} sera
  eventi in programma {day}
recommendation_locations:
  consigliami {place}
  dove c'è {place}
  c'è {place} vicino a me
  trovami {place} a {city}
  dove trovo {place} a {city}
  consigliami un ristorante a {city}
  qual è {place} più vicino
  mi consigli {place} in zona
  cerca {place} vicino a casa
  dove posso trovare {place}
  suggeriscimi un ristorante
  il miglior bar di {city}
  c'è {place} aperto qui vicino
  dove si mangia bene qui
  trova {place} aperto {day}
  consigliami un posto dove andare a {city}
  {place} vicino
  dove andare a mangiare a {city}
  qual è il posto migliore per cenare
  trovami {place} in centro
  c'è un buon ristorante in zona
  dove c'è {place} a {city}
  consigliami una pizzeria
  un posto carino per un aperitivo
recommendation_movies:
  che film mi consigli
  consigliami un film da vedere
  un film da vedere stasera
  che film danno al cinema
  consigliami un bel film di {movie_genre}
  suggeriscimi un film
  che film posso vedere {day}
  un bel film di {movie_genre}
  che film c'è al cinema {day}
  quale film mi consigli di vedere
  film di {movie_genre} da vedere
  consigliami un film per stasera
  c'è un bel film al cinema
  mi consigli una serie tv
  che film guardo stasera
  un film per bambini
  quali film ci sono al cinema
  consigliami una {movie_genre}
  film consigliati
  qual è il film migliore di quest'anno
  un film {movie_genre} da guardare {day}
  dimmi un bel film
  suggeriscimi un film di {movie_genre}
  che film vedere con gli amici
""")
