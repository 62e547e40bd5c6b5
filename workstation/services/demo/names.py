"""Name and address pools for demo people: a mix that fits a diverse city like Offenbach."""

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Jonas", "Lena", "Lukas", "Sophie", "Felix", "Marie", "Paul", "Laura", "Maximilian",
    "Julia", "Leon", "Sarah", "Elias", "Hannah", "Noah", "Lea", "Finn", "Emma", "Ben",
    "Katharina", "Tobias", "Sabine", "Thomas", "Petra", "Michael", "Claudia", "Stefan", "Monika", "Andreas",
    "Ursula", "Jürgen", "Birgit", "Frank", "Gabriele", "Markus", "Heike", "Dirk", "Nicole", "Christian",
    "Ayşe", "Mehmet", "Elif", "Emre", "Zeynep", "Mustafa", "Fatma", "Can", "Leyla", "Yusuf",
    "Giulia", "Marco", "Francesca", "Luca", "Eleni", "Nikolaos", "Dimitra", "Georgios", "Agnieszka", "Piotr",
    "Katarzyna", "Tomasz", "Ivana", "Marko", "Ana", "Luka", "Amira", "Omar", "Mariam", "Karim",
    "Olena", "Andrii", "Irina", "Sergej", "Daniela", "Alexandru", "Ioana", "Mihai", "Nadia", "Samir",
)

LAST_NAMES: tuple[str, ...] = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan",
    "Rossi", "Russo", "Esposito", "Romano", "Papadopoulos", "Georgiou", "Nowak", "Kowalski", "Wiśniewska",
    "Horvat", "Kovačević", "Jovanović", "Popescu", "Ionescu", "Haddad", "Khalil", "Mansour", "Shevchenko",
    "Kovalenko", "Petrov", "Ivanova", "Nguyen", "Tran", "Ahmadi", "Hosseini", "Begović", "Hadžić", "Dietrich",
)

STREETS: tuple[str, ...] = (
    "Frankfurter Straße", "Berliner Straße", "Kaiserstraße", "Herrnstraße", "Bieberer Straße",
    "Waldstraße", "Sprendlinger Landstraße", "Mühlheimer Straße", "Senefelderstraße", "Luisenstraße",
    "Ludwigstraße", "Goethestraße", "Geleitsstraße", "Domstraße", "Bismarckstraße", "Starkenburgring",
    "Friedrichsring", "Odenwaldring", "Taunusring", "Schlossstraße", "Marktplatz", "Karlstraße",
    "Obere Grenzstraße", "Buchhügelallee", "Rumpenheimer Straße", "Offenbacher Landstraße",
)

POSTAL_CODES: tuple[str, ...] = ("63065", "63067", "63069", "63071", "63073", "63075")

_ASCII = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
    "ş": "s", "Ş": "S", "ç": "c", "Ç": "C", "ğ": "g", "ı": "i", "İ": "I", "ś": "s", "č": "c", "ć": "c",
    "ž": "z", "š": "s", "đ": "d",
})


def ascii_slug(text: str) -> str:
    """"Ayşe Öztürk" → "ayse.oeztuerk": safe for usernames and fake e-mail addresses."""
    return ".".join(text.translate(_ASCII).lower().split())
