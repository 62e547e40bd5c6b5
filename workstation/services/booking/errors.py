"""The one error of the booking rules: a code, a German message and its English twin for the public pages."""


class BookingError(Exception):
    """Bad input or a rule said no; nothing was stored. `message` is German, `message_en` English."""

    def __init__(self, code: str, message: str, message_en: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en or message

    def text(self, lang: str) -> str:
        """The message in the page's language ("de" or "en")."""
        return self.message_en if lang == "en" else self.message
