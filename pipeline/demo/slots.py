"""Slot values for the demo sentences: many fillers per slot, so that a model has to learn the
command words rather than memorise whole sentences."""

from __future__ import annotations

SLOTS: dict[str, tuple[str, ...]] = {
    "time": (
        "alle sette", "alle sette e mezza", "alle otto", "alle nove di mattina", "alle dieci e un quarto",
        "a mezzogiorno", "alle tre del pomeriggio", "alle cinque e venti", "alle sei meno un quarto",
        "alle otto di sera", "alle undici", "a mezzanotte", "alle quattro e quaranta", "alle sei e dieci",
    ),
    "day": (
        "domani", "oggi", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
        "domenica", "dopodomani", "il tre maggio", "il primo giugno", "il venti dicembre",
        "la prossima settimana", "il quindici agosto",
    ),
    "name": (
        "Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara", "Matteo", "Sara", "Giorgio",
        "Elena", "Paolo", "Martina", "Davide", "Valentina", "Roberto", "Anna", "la mamma", "il capo",
    ),
    "city": (
        "Roma", "Milano", "Napoli", "Torino", "Palermo", "Bologna", "Firenze", "Bari", "Venezia",
        "Genova", "Verona", "Cagliari", "Trieste", "Pescara", "Lecce", "Perugia", "Londra", "Parigi",
    ),
    "place": (
        "un ristorante", "una pizzeria", "un museo", "un parco", "una farmacia", "un bar",
        "una libreria", "un supermercato", "una palestra", "un cinema", "una gelateria",
    ),
    "song": (
        "Volare", "Azzurro", "Albachiara", "Il cielo in una stanza", "La donna cannone",
        "Vita spericolata", "Certe notti", "Emozioni", "Bella ciao", "Sarà perché ti amo",
    ),
    "artist": (
        "Vasco Rossi", "Laura Pausini", "Lucio Battisti", "Mina", "Ligabue", "Eros Ramazzotti",
        "Fabrizio De André", "Gianna Nannini", "Jovanotti", "Zucchero", "i Måneskin", "Adriano Celentano",
    ),
    "genre": ("jazz", "rock", "musica classica", "pop", "musica rilassante", "rap", "musica lirica", "blues"),
    "station": ("Radio Deejay", "Radio Rai Uno", "Radio Capital", "RTL", "Radio Italia", "Virgin Radio"),
    "number": ("due", "tre", "cinque", "sette", "dieci", "dodici", "venti", "trenta", "cento", "quindici"),
    "amount": ("dieci", "venti", "cinquanta", "cento", "duecento", "mille", "trentacinque", "quattrocento"),
    "currency": ("euro", "dollari", "sterline", "yen", "franchi svizzeri", "dollari canadesi"),
    "company": ("Fiat", "Eni", "Enel", "Ferrari", "Apple", "Amazon", "Intesa Sanpaolo", "Leonardo"),
    "room": ("in cucina", "in salotto", "in camera da letto", "in bagno", "in corridoio", "nello studio"),
    "color": ("rosso", "blu", "verde", "giallo", "viola", "arancione", "bianco caldo", "rosa"),
    "food": (
        "la carbonara", "il risotto ai funghi", "la lasagna", "il tiramisù", "la pasta al pesto",
        "gli gnocchi", "la parmigiana", "il minestrone", "la pizza margherita", "il ragù",
    ),
    "dish": ("una pizza", "del sushi", "un kebab", "due panini", "un hamburger", "della pasta", "un poke"),
    "restaurant": ("da Mario", "dalla pizzeria Vesuvio", "dal cinese sotto casa", "da Sushi Ko", "dalla trattoria Bella Napoli"),
    "list": ("della spesa", "delle cose da fare", "dei regali", "dei libri", "della farmacia", "del viaggio"),
    "item": ("il latte", "le uova", "il pane", "i pomodori", "il caffè", "lo zucchero", "le mele", "il burro"),
    "event": ("la riunione", "il dentista", "la cena con gli amici", "la partita", "il compleanno di Luca", "il corso di yoga"),
    "book": ("I promessi sposi", "Il nome della rosa", "La coscienza di Zeno", "Il Gattopardo", "Se questo è un uomo"),
    "podcast": ("Il Post", "Morning", "Muschio Selvaggio", "Storie di scienza", "Globo", "Indagini"),
    "game": ("gli scacchi", "il quiz", "l'impiccato", "indovina il numero", "il gioco delle parole"),
    "movie_genre": ("commedia", "horror", "fantascienza", "giallo", "animazione", "film d'azione"),
    "topic": ("politica", "sport", "economia", "tecnologia", "cronaca", "spettacolo", "scienza"),
    "word": ("serendipità", "ossimoro", "effimero", "resilienza", "ubiquo", "procrastinare", "sinestesia"),
    "person": ("Leonardo da Vinci", "Dante Alighieri", "Galileo Galilei", "Maria Montessori", "Enrico Fermi", "Rita Levi Montalcini"),
    "mountain": ("il Monte Bianco", "l'Etna", "il Cervino", "il Vesuvio", "il Gran Sasso"),
    "social": ("Facebook", "Instagram", "Twitter", "TikTok", "LinkedIn"),
    "destination": ("alla stazione", "in aeroporto", "in centro", "al lavoro", "a casa", "all'ospedale", "in università"),
    "vehicle": ("il treno", "l'autobus", "la metro", "il tram", "il traghetto", "l'aereo"),
    "device": ("la presa", "la lavatrice", "il ventilatore", "la stufa", "il televisore", "il purificatore"),
    "percent": ("dieci", "venti", "trenta", "cinquanta", "settanta", "ottanta"),
}
