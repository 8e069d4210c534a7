"""Hand-written Italian sentence templates, at least six per intent, with `{slot}` placeholders.

Templates of one intent share the command words but vary their order and phrasing; slot values
come from `slots.SLOTS`, so the same template yields many distinct utterances.
"""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, ...]] = {
    "alarm_query": (
        "che sveglie ho impostato", "a che ora suona la sveglia {day}", "ho una sveglia {day}",
        "mostrami le mie sveglie", "quante sveglie sono attive", "la sveglia di {day} è {time}",
    ),
    "alarm_remove": (
        "cancella la sveglia {time}", "elimina tutte le sveglie", "togli la sveglia di {day}",
        "rimuovi la sveglia delle sette", "non voglio più la sveglia {time}", "disattiva la sveglia di {day}",
    ),
    "alarm_set": (
        "svegliami {time} {day}", "imposta una sveglia {time}", "metti la sveglia {day} {time}",
        "crea una sveglia per {day}", "voglio una sveglia {time}", "sveglia {time} per favore",
    ),
    "audio_volume_down": (
        "abbassa il volume", "metti il volume più basso", "riduci l'audio", "abbassa un po' la musica",
        "volume giù di {number}", "parla più piano", "diminuisci il volume {room}",
    ),
    "audio_volume_mute": (
        "silenzia l'altoparlante", "togli l'audio", "metti in muto", "zitto per {number} minuti",
        "disattiva il suono", "silenzio per favore", "muto {room}",
    ),
    "audio_volume_other": (
        "imposta il volume al {percent} per cento", "che livello ha il volume", "volume medio",
        "porta il volume a {number}", "regola il volume della voce", "a quanto è il volume adesso",
    ),
    "audio_volume_up": (
        "alza il volume", "metti il volume più alto", "aumenta l'audio di {number}", "non sento, alza",
        "parla più forte", "volume su {room}", "alza un po' la musica",
    ),
    "calendar_query": (
        "che impegni ho {day}", "cosa c'è in agenda {day}", "quando è {event}", "sono libero {day} {time}",
        "leggimi il calendario di {day}", "ho appuntamenti {day}",
    ),
    "calendar_remove": (
        "cancella {event} dal calendario", "elimina l'appuntamento di {day}", "togli {event} di {day}",
        "annulla tutti gli impegni di {day}", "rimuovi {event} dall'agenda", "cancella l'evento {time}",
    ),
    "calendar_set": (
        "segna {event} {day} {time}", "aggiungi al calendario {event}", "fissa un appuntamento con {name} {day}",
        "ricordami {event} {day}", "metti in agenda {event} {time}", "crea un evento {day} con {name}",
    ),
    "cooking_query": (
        "quanto tempo deve cuocere {food}", "a che temperatura si cuoce {food}", "quante calorie ha {food}",
        "posso congelare {food}", "che vino si abbina con {food}", "come capisco se {food} è pronta",
    ),
    "cooking_recipe": (
        "dammi la ricetta per {food}", "come si prepara {food}", "insegnami a cucinare {food}",
        "quali ingredienti servono per {food}", "cerca una ricetta con {item}", "cosa posso cucinare con {item}",
    ),
    "datetime_convert": (
        "che ore sono a {city} se qui sono {time}", "converti {time} nell'ora di {city}",
        "quanta differenza di fuso c'è con {city}", "{time} a {city} che ora è qui",
        "trasforma l'ora di {city} in ora italiana", "se a {city} sono {time} qui che ore sono",
    ),
    "datetime_query": (
        "che ore sono", "che giorno è oggi", "che ore sono a {city}", "che data è {day}",
        "in che giorno cade {day}", "dimmi l'ora esatta", "quanti giorni mancano a {day}",
    ),
    "email_addcontact": (
        "aggiungi {name} ai contatti", "salva l'indirizzo email di {name}", "crea un nuovo contatto per {name}",
        "memorizza questa email come {name}", "inserisci {name} nella rubrica", "registra il contatto di {name}",
    ),
    "email_query": (
        "ho nuove email", "leggimi la posta", "ci sono messaggi da {name}", "controlla la casella di posta",
        "quante email non lette ho", "mi ha scritto {name} {day}",
    ),
    "email_querycontact": (
        "qual è l'email di {name}", "dammi il numero di {name}", "che indirizzo ha {name}",
        "cerca {name} nella rubrica", "quando compie gli anni {name}", "dove abita {name}",
    ),
    "email_sendemail": (
        "manda una email a {name}", "scrivi a {name} che arrivo {time}", "invia un messaggio di posta a {name}",
        "rispondi all'email di {name}", "inoltra la mail a {name}", "mail a {name}: ci vediamo {day}",
    ),
    "general_greet": (
        "ciao come stai", "buongiorno", "buonasera a te", "salve, tutto bene", "ehi ciao, che si dice",
        "buona notte", "come va oggi",
    ),
    "general_joke": (
        "raccontami una barzelletta", "dimmi qualcosa di divertente", "fammi ridere", "conosci una battuta su {topic}",
        "raccontami una storia buffa", "un'altra barzelletta per favore",
    ),
    "general_quirky": (
        "qual è il senso della vita", "mi vuoi bene", "sei un robot", "hai mai sognato",
        "cosa pensi di {name}", "sai cantare", "ti piace {city}",
    ),
    "iot_cleaning": (
        "accendi l'aspirapolvere", "fai pulire il robot {room}", "pulisci il pavimento {room}",
        "avvia la pulizia {time}", "manda il robot a pulire", "passa l'aspirapolvere {room}",
    ),
    "iot_coffee": (
        "fammi un caffè", "prepara un espresso", "accendi la macchina del caffè", "voglio un cappuccino",
        "fai {number} caffè", "prepara il caffè {time}",
    ),
    "iot_hue_lightchange": (
        "cambia il colore della luce in {color}", "metti la luce {color} {room}", "luci {color} per favore",
        "fai diventare {color} la lampada", "colora le luci {room} di {color}", "imposta l'illuminazione {color}",
    ),
    "iot_hue_lightdim": (
        "abbassa le luci", "diminuisci la luminosità {room}", "luce più soffusa", "attenua la lampada",
        "abbassa la luce al {percent} per cento", "luci meno forti {room}",
    ),
    "iot_hue_lightoff": (
        "spegni la luce", "spegni le luci {room}", "luci spente", "togli la luce {room}",
        "spegni tutte le lampade", "buio {room}",
    ),
    "iot_hue_lighton": (
        "accendi la luce", "accendi le luci {room}", "luce {room} per favore", "fai luce",
        "accendi tutte le lampade", "illumina {room}",
    ),
    "iot_hue_lightup": (
        "alza le luci", "aumenta la luminosità {room}", "più luce per favore", "luci più forti",
        "porta la luce al {percent} per cento", "rendi più luminosa la stanza",
    ),
    "iot_wemo_off": (
        "spegni {device}", "stacca {device}", "disattiva la presa intelligente", "spegni la spina {room}",
        "togli corrente a {device}", "ferma {device}",
    ),
    "iot_wemo_on": (
        "accendi {device}", "attiva la presa intelligente", "dai corrente a {device}", "avvia {device}",
        "accendi la spina {room}", "metti in funzione {device}",
    ),
    "lists_createoradd": (
        "aggiungi {item} alla lista {list}", "crea una nuova lista {list}", "metti {item} nella lista {list}",
        "segna {item} sulla lista", "inizia una lista {list}", "inserisci {item} e {item} nella lista",
    ),
    "lists_query": (
        "cosa c'è nella lista {list}", "leggimi la lista {list}", "quali liste ho", "c'è {item} nella lista",
        "quante cose ci sono nella lista {list}", "mostrami la lista {list}",
    ),
    "lists_remove": (
        "togli {item} dalla lista {list}", "cancella la lista {list}", "rimuovi {item} dalla lista",
        "elimina l'ultima voce della lista", "svuota la lista {list}", "depenna {item}",
    ),
    "music_dislikeness": (
        "non mi piace questa canzone", "odio {artist}", "questa musica è brutta", "non sopporto {genre}",
        "non mettere più {song}", "che canzone orribile",
    ),
    "music_likeness": (
        "mi piace questa canzone", "adoro {artist}", "salva che amo {genre}", "questa è la mia canzone preferita",
        "ricorda che mi piace {song}", "che bella musica",
    ),
    "music_query": (
        "che canzone è questa", "chi canta questa canzone", "di che anno è {song}", "come si chiama questo brano",
        "chi ha scritto {song}", "in che album c'è {song}",
    ),
    "music_settings": (
        "attiva la riproduzione casuale", "ripeti questa canzone", "metti in ordine casuale", "disattiva la ripetizione",
        "ripeti la playlist di {artist}", "togli la modalità shuffle",
    ),
    "news_query": (
        "quali sono le ultime notizie", "dimmi le notizie di {topic}", "cosa è successo oggi a {city}",
        "leggimi i titoli del giornale", "ci sono novità su {topic}", "notizie da {city}",
    ),
    "play_audiobook": (
        "riprendi l'audiolibro", "leggimi {book}", "fai partire l'audiolibro {book}", "continua il libro da dove ero",
        "metti il capitolo {number} di {book}", "ascolta l'audiolibro",
    ),
    "play_game": (
        "giochiamo a {game}", "voglio fare un gioco", "facciamo una partita a {game}", "avvia {game}",
        "ho voglia di giocare", "sfidami a {game}",
    ),
    "play_music": (
        "metti {song}", "fammi ascoltare {artist}", "suona un po' di {genre}", "riproduci {song} di {artist}",
        "metti la musica", "voglio sentire {genre}",
    ),
    "play_podcasts": (
        "metti il podcast {podcast}", "riproduci l'ultima puntata di {podcast}", "fammi sentire un podcast su {topic}",
        "continua il podcast", "ascoltiamo {podcast}", "passa alla prossima puntata",
    ),
    "play_radio": (
        "metti {station}", "accendi la radio", "sintonizzati su {station}", "fammi ascoltare la radio",
        "cambia stazione radio", "metti una radio di {genre}",
    ),
    "qa_currency": (
        "quanto vale l'euro in {currency}", "converti {amount} euro in {currency}", "qual è il cambio con {currency}",
        "quanti {currency} sono {amount} euro", "il cambio euro {currency} di oggi", "quanto costa un dollaro in euro",
    ),
    "qa_definition": (
        "cosa significa {word}", "definisci {word}", "qual è il significato di {word}", "che vuol dire {word}",
        "spiegami la parola {word}", "dammi un sinonimo di {word}",
    ),
    "qa_factoid": (
        "chi era {person}", "quanto è alto {mountain}", "dove è nato {person}", "quanti abitanti ha {city}",
        "qual è la capitale della Francia", "quando è morto {person}",
    ),
    "qa_maths": (
        "quanto fa {number} per {number}", "calcola {amount} diviso {number}", "quanto fa {number} più {amount}",
        "qual è la radice quadrata di {amount}", "il {percent} per cento di {amount}", "{amount} meno {number} quanto fa",
    ),
    "qa_stock": (
        "come vanno le azioni {company}", "quanto valgono le azioni di {company}", "com'è andata la borsa oggi",
        "il titolo {company} è salito", "dammi la quotazione di {company}", "come ha chiuso {company}",
    ),
    "recommendation_events": (
        "cosa c'è da fare {day} a {city}", "ci sono concerti {day}", "consigliami un evento a {city}",
        "che spettacoli ci sono {day}", "quali mostre ci sono a {city}", "eventi in zona {day}",
    ),
    "recommendation_locations": (
        "consigliami {place} a {city}", "dove trovo {place} qui vicino", "qual è il miglior ristorante di {city}",
        "c'è {place} aperto adesso", "suggeriscimi {place} in centro", "dove posso mangiare bene a {city}",
    ),
    "recommendation_movies": (
        "consigliami un film", "che film di {movie_genre} mi consigli", "cosa danno al cinema {day}",
        "suggeriscimi una {movie_genre}", "quale film vedo stasera", "un bel film di {movie_genre} da vedere",
    ),
    "social_post": (
        "pubblica su {social} che sono a {city}", "scrivi un post su {social}", "condividi questa foto su {social}",
        "twitta che sto arrivando", "lamentati su {social} del ritardo", "metti un post per {name}",
    ),
    "social_query": (
        "cosa c'è di nuovo su {social}", "ho notifiche su {social}", "cosa ha pubblicato {name}",
        "chi ha messo mi piace alla mia foto", "leggimi gli aggiornamenti di {social}", "ci sono messaggi su {social}",
    ),
    "takeaway_order": (
        "ordina {dish} {restaurant}", "voglio ordinare {dish} a domicilio", "fammi portare {dish}",
        "prenota {dish} da asporto {time}", "ordina la cena {restaurant}", "mi ordini {dish} per {time}",
    ),
    "takeaway_query": (
        "a che punto è il mio ordine", "quando arriva la pizza", "fanno consegne {restaurant}",
        "{restaurant} fa asporto", "quanto costa la consegna {restaurant}", "lo stato della mia ordinazione",
    ),
    "transport_query": (
        "a che ora parte {vehicle} per {city}", "quanto ci vuole per andare a {city}", "come arrivo {destination}",
        "c'è {vehicle} {time}", "orari di {vehicle} per {city}", "qual è il percorso più veloce {destination}",
    ),
    "transport_taxi": (
        "chiamami un taxi", "prenota un taxi {destination}", "mi serve un taxi {time}", "manda un taxi a casa",
        "taxi per {city} {day}", "chiama un'auto con conducente",
    ),
    "transport_ticket": (
        "compra un biglietto per {city}", "prenota il treno per {city} {day}", "prendimi due biglietti per {vehicle}",
        "voglio un biglietto di andata e ritorno per {city}", "acquista il biglietto {day}", "prenota un posto su {vehicle}",
    ),
    "transport_traffic": (
        "c'è traffico {destination}", "com'è il traffico in tangenziale", "ci sono code per {city}",
        "la strada per {city} è libera", "quanto traffico c'è adesso", "ci sono incidenti in autostrada",
    ),
    "weather_query": (
        "che tempo fa {day}", "pioverà {day} a {city}", "serve l'ombrello {day}", "quanti gradi ci sono a {city}",
        "com'è il meteo a {city}", "farà freddo {day}", "c'è il sole a {city}",
    ),
}
