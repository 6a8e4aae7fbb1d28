"""Errors kb raises; each message names the input and says how to fix it."""


class KBError(Exception):
    """Base class for every error kb reports to a user."""


class InputError(KBError):
    """An input file cannot be read as an article."""

    def __init__(self, path: str, reason: str, *, line: int | None = None, hint: str = ""):
        self.path = path
        self.reason = reason
        self.line = line
        self.hint = hint
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}" + (f" ({hint})" if hint else ""))


class DecodeError(InputError):
    """The bytes are not text in any encoding kb understands."""


class TooLargeError(InputError):
    """The file is larger than the configured limit."""


class FrontMatterError(InputError):
    """The YAML front matter is malformed."""


class DatabaseError(KBError):
    """The database file cannot be opened or has an unexpected shape."""


class ReviewError(KBError):
    """A review decision cannot be recorded or a review file cannot be imported (names what and why)."""

    def __init__(self, what: str, reason: str, hint: str = ""):
        self.what = what
        self.reason = reason
        self.hint = hint
        super().__init__(f"{what}: {reason}" + (f" ({hint})" if hint else ""))
