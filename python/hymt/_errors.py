"""Exceptions: one class per hymt_status, all under HymtError.

Each also derives from the built-in exception a Python caller would expect (ValueError for a bad
argument, FileNotFoundError for a missing file, ...), so `except ValueError` works too. `.status`
is the C status name ("invalid_argument", ...), `.code` its number.
"""


class HymtError(Exception):
    """An error from hymt. `status`: the C status name; `code`: its number; str(e): the message."""

    status = "internal"
    code = 7

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
            self.code = _CODES.get(status, self.code)

    def __str__(self):
        return self.message


class InvalidArgumentError(HymtError, ValueError):
    """A bad value: unknown language, format or option, empty text, a token id outside the vocabulary."""
    status, code = "invalid_argument", 1


class NotFoundError(HymtError, FileNotFoundError):
    """A missing file (model, input document, glossary)."""
    status, code = "not_found", 2


class HymtIOError(HymtError, OSError):
    """A file that cannot be read or written."""
    status, code = "io", 3


class CorruptFileError(HymtError, ValueError):
    """A model or document whose bytes break its format (also a malformed JSON/YAML/... document)."""
    status, code = "corrupt_file", 4


class UnsupportedError(HymtError):
    """Well-formed, but not something hymt runs (e.g. a GGUF file without the HY chat vocabulary)."""
    status, code = "unsupported", 5


class HymtMemoryError(HymtError, MemoryError):
    status, code = "out_of_memory", 6


class InternalError(HymtError):
    """A bug in hymt: please report it with the message."""
    status, code = "internal", 7


class CancelledError(HymtError):
    """The call was cancelled: Translator.cancel(), a closed stream, or a callback that stopped it."""
    status, code = "cancelled", 8


class BufferTooSmallError(HymtError):
    status, code = "buffer_too_small", 9


class BusyError(HymtError, RuntimeError):
    """The translator is already running a call on another thread (use one translator per thread)."""
    status, code = "busy", 10


class ClosedError(InvalidArgumentError):
    """A method of a Model or Translator called after close()."""


class LibraryError(HymtError, OSError):
    """libhymt could not be loaded (not found, or an incompatible C API version)."""
    status, code = "not_found", 2


_BY_CODE = {c.code: c for c in (InvalidArgumentError, NotFoundError, HymtIOError, CorruptFileError, UnsupportedError,
                                HymtMemoryError, InternalError, CancelledError, BufferTooSmallError, BusyError)}
_CODES = {c.status: c.code for c in _BY_CODE.values()}


def error_for(code, message):
    """The exception for C status `code` with `message`."""
    cls = _BY_CODE.get(code)
    if cls is None:
        return HymtError("%s (status %d)" % (message, code))
    return cls(message)
