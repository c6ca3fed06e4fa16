"""hymt: Python binding of the hymt C API (libhymt), offline translation with Tencent's HY-MT models.

    import hymt
    with hymt.Model("HY-MT1.5-1.8B-Q8_0.gguf") as model, model.translator() as t:
        print(t.translate("The weather is nice today.", to="zh").text)
        for piece in t.stream("Good morning.", to="fr"):
            print(piece, end="", flush=True)

Pure Python over ctypes: libhymt is found through $HYMT_LIBRARY (a full path), a copy inside this
package, then the system loader (ctypes.util.find_library("hymt"), libhymt.so.1). See README.md.
"""
from ._core import (Language, Model, ModelInfo, Problem, Result, Segment, Stream, Translator, api_version, detect,
                    find_language, languages, library_path, version)
from ._errors import (BufferTooSmallError, BusyError, CancelledError, ClosedError, CorruptFileError, HymtError,
                      HymtIOError, HymtMemoryError, InternalError, InvalidArgumentError, LibraryError, NotFoundError,
                      UnsupportedError)

__version__ = "0.1.0"

__all__ = [
    "Model", "Translator", "Stream", "Result", "Segment", "Problem", "ModelInfo", "Language",
    "languages", "find_language", "detect", "version", "api_version", "library_path",
    "HymtError", "InvalidArgumentError", "NotFoundError", "HymtIOError", "CorruptFileError", "UnsupportedError",
    "HymtMemoryError", "InternalError", "CancelledError", "BufferTooSmallError", "BusyError", "ClosedError",
    "LibraryError",
]
