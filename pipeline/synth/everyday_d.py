"""Everyday phrasings, social_post … weather_query (see `pipeline.synth.everyday`)."""

from __future__ import annotations

from pipeline.synth.blocks import parse_blocks

EVERYDAY_SOCIAL_TO_WEATHER = parse_blocks("""
social_post:
  pubblica un post su {social}
  scrivi su {social}
  condividi su {social}
  posta questa foto su {social}
  pubblica questa foto
  scrivi un post
  metti su {social} che sono a {city}
  pubblica su {social} che sono felice
  condividi la foto su {social}
  aggiorna lo stato su {social}
  scrivi un tweet
  pubblica un messaggio su {social}
  posta su {social} che arrivo {day}
  condividi questo articolo su {social}
  metti una storia su {social}
  pubblica la foto di {day}
  scrivi sulla bacheca di {name}
  fai un post su {social}
  pubblica che sono a {city}
  condividi il video su {social}
  scrivi un commento su {social}
  pubblica un aggiornamento
  posta un messaggio per {name}
  condividi dove sono su {social}
social_query:
  ci sono novità su {social}
  controlla {social} per me
  cosa dice {social}
  ho messaggi su {social}
  ho nuove notifiche
  cosa hanno pubblicato i miei amici
  controlla le notifiche di {social}
  cosa ha scritto {name} su {social}
  chi ha commentato il mio post
  leggimi le notifiche di {social}
  quanti mi piace ha la mia foto
  ci sono aggiornamenti su {social}
  novità da {name}
  cosa c'è su {social} oggi
  controlla i messaggi di {social}
  chi mi ha scritto su {social}
  quanti follower ho su {social}
  leggimi gli ultimi post
  cosa succede su {social}
  ho nuovi messaggi su {social}
  mostrami i post di {name}
  ci sono nuovi commenti
  che notifiche ho
  cosa ha postato {name}
takeaway_order:
  ordina {dish}
  ordina {dish} a domicilio
  voglio ordinare {dish}
  ordina da mangiare
  ordinami {dish} {restaurant}
  fai un ordine {restaurant}
  ordina la cena
  vorrei ordinare {dish} {time}
  ordina {dish} da asporto
  prendi {dish} {restaurant}
  ordina il pranzo
  fammi arrivare {dish} a casa
  ordina {dish} per {number} persone
  voglio {dish} a domicilio
  ordina una pizza margherita
  fai arrivare la cena {time}
  ordina cibo cinese
  ordina qualcosa da mangiare {restaurant}
  prenota {dish} {restaurant}
  ordina {dish} e {dish}
  ordinami la cena {restaurant}
  ordina da asporto {restaurant}
  mi ordini la pizza
  cena a domicilio {time}
takeaway_query:
  quando arriva il mio ordine
  dov'è il mio ordine
  a che punto è la consegna
  il mio ordine è partito
  quanto manca alla consegna del cibo
  {restaurant} fa consegne a domicilio
  fanno asporto {restaurant}
  controlla il mio ordine
  quando arriva la cena
  quanto ci mette la consegna
  stato dell'ordine
  il ristorante fa consegne
  a che ora arriva {dish}
  quanto costa la consegna
  {restaurant} fa anche asporto
  è arrivato l'ordine
  la pizza è in consegna
  quanto devo aspettare per {dish}
  tracciamento dell'ordine
  il mio ordine {restaurant} è pronto
  posso ritirare l'ordine
  c'è un ritardo nella consegna
  quanto costa ordinare {restaurant}
  chi consegna a domicilio qui
transport_query:
  a che ora parte il treno per {city}
  orari dei treni per {city}
  quando passa {vehicle}
  come vado a {city}
  quanto ci vuole per arrivare {destination}
  a che ora parte {vehicle}
  qual è il prossimo treno per {city}
  come arrivo a {city} con {vehicle}
  orari di {vehicle} {day}
  quanto dura il viaggio per {city}
  c'è un treno per {city} {time}
  a che ora arriva {vehicle}
  il treno per {city} arriva in ritardo
  quando parte l'ultimo treno
  come arrivo {destination} con i mezzi
  quale autobus devo prendere
  da che binario parte il treno per {city}
  quanto tempo ci vuole in treno per {city}
  orario dell'autobus {destination}
  qual è la strada migliore per {city}
  dammi le indicazioni per {city}
  quanti chilometri ci sono fino a {city}
  ci sono treni per {city} {day}
  il prossimo autobus quando passa
transport_taxi:
  prenota un taxi
  chiama un taxi
  mi serve un taxi
  taxi per favore
  prenotami un taxi {time}
  chiama un taxi {destination}
  voglio un taxi
  ordina un taxi
  mi chiami un taxi per {city}
  prenota un taxi per {day} {time}
  un taxi {destination}
  chiama un taxi qui
  fammi venire a prendere da un taxi
  prenota una macchina {destination}
  chiamami un uber
  taxi {destination} {time}
  mi serve un passaggio {destination}
  prenota un taxi per {number} persone
  chiama il taxi per {day}
  trovami un taxi
  voglio andare {destination} in taxi
  chiama un taxi per {name}
  prenota un taxi per l'aeroporto
  ho bisogno di un taxi subito
transport_ticket:
  prenota un biglietto per {city}
  compra il biglietto del treno
  prenota il treno per {city}
  voglio un biglietto per {city}
  comprami un biglietto del treno per {city} {day}
  prenota un biglietto aereo per {city}
  acquista un biglietto per {vehicle}
  un biglietto per {city}
  prenotami il treno {day} {time}
  compra due biglietti per {city}
  prenota il volo per {city}
  biglietto del treno per {city} {day}
  voglio prenotare un biglietto
  compra un biglietto di andata per {city}
  prenota un posto sul treno per {city}
  acquista il biglietto del treno {time}
  prenotami un volo per {country}
  compra il biglietto dell'autobus
  prenota un biglietto di andata e ritorno
  biglietti del treno per {day}
  comprami un biglietto per {vehicle} {time}
  prenota {number} biglietti per {city}
  voglio comprare un biglietto aereo
  acquista un biglietto per {city} {day}
transport_traffic:
  com'è il traffico
  c'è traffico adesso
  com'è il traffico adesso {destination}
  traffico per {city}
  c'è traffico in autostrada
  com'è il traffico a {city}
  ci sono code
  quanto traffico c'è {destination}
  c'è coda sulla strada per {city}
  come sarà il traffico {day}
  ci sono incidenti {destination}
  la strada è trafficata
  c'è traffico in centro
  traffico in tangenziale
  com'è la strada per {city}
  ci sono code in autostrada
  informazioni sul traffico
  c'è molto traffico
  com'è il traffico stamattina
  situazione del traffico a {city}
  c'è traffico sulla strada di casa
  ci sono rallentamenti per {city}
  traffico {destination} {time}
  quanto traffico c'è a {city}
weather_query:
  che tempo fa
  che tempo fa a {city}
  com'è il tempo {day}
  piove {day}
  che tempo farà {day}
  previsioni meteo per {day}
  meteo di {city}
  farà caldo {day}
  quanti gradi ci sono
  che temperatura c'è a {city}
  pioverà {day}
  com'è il meteo {day}
  le previsioni del tempo a {city}
  c'è il sole {day}
  che tempo fa a {city} {day}
  ci sarà la pioggia {day}
  temperatura di {day}
  previsioni per il fine settimana
  nevicherà a {city}
  che tempo ci sarà {day}
  com'è il tempo a {city}
  farà bel tempo {day}
  meteo {day}
  quanti gradi ci saranno {day}
""")
