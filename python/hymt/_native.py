"""ctypes declarations of the C API (include/hymt/hymt.h) and the loading of libhymt.

Invariants: every Structure mirrors its C struct field for field (struct_size first), every
function has argtypes/restype, and the library is loaded once, lazily, on the first call that
needs it (so `import hymt` works without it). Nothing here raises on a C status: see _errors.
"""
import ctypes
import ctypes.util
import os
import threading

from ._errors import LibraryError

API_MAJOR = 1  # HYMT_API_VERSION_MAJOR this binding is written against

c_size_t = ctypes.c_size_t
c_int = ctypes.c_int
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p


class Language(ctypes.Structure):
    _fields_ = [("struct_size", c_size_t), ("code", c_char_p), ("flores", c_char_p),
                ("english", c_char_p), ("chinese", c_char_p)]


class ModelParams(ctypes.Structure):
    _fields_ = [("struct_size", c_size_t), ("n_threads", c_int), ("n_ctx", c_int), ("max_seqs", c_int),
                ("kv_type", c_int), ("cache_mb", c_int)]


class ModelInfo(ctypes.Structure):
    _fields_ = [("struct_size", c_size_t), ("name", c_char_p), ("family", c_char_p),
                ("n_vocab", ctypes.c_int32), ("n_layer", ctypes.c_int32), ("n_embd", ctypes.c_int32),
                ("n_ctx_train", ctypes.c_int32)]


class GlossaryEntry(ctypes.Structure):
    _fields_ = [("source", c_char_p), ("target", c_char_p)]


# Callbacks take the text as a raw pointer: it is not NUL-terminated (read len bytes of it).
TextCallback = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_void_p)
RestartCallback = ctypes.CFUNCTYPE(c_int, c_void_p)
SegmentCallback = ctypes.CFUNCTYPE(c_int, c_size_t, c_void_p, c_size_t, c_void_p)


class TranslateParams(ctypes.Structure):
    _fields_ = [("struct_size", c_size_t), ("source_lang", c_char_p), ("target_lang", c_char_p),
                ("format", c_char_p), ("context", c_char_p),
                ("glossary", ctypes.POINTER(GlossaryEntry)), ("n_glossary", c_size_t),
                ("keep", ctypes.POINTER(c_char_p)), ("n_keep", c_size_t),
                ("glossary_file", c_char_p), ("formatted", c_int), ("sampling", c_char_p),
                ("temperature", ctypes.c_float), ("top_p", ctypes.c_float), ("top_k", c_int),
                ("repeat_penalty", ctypes.c_float), ("seed", ctypes.c_int64), ("loop_guard", c_int),
                ("max_tokens", c_int), ("checks", c_int), ("retry", c_int), ("segment_tokens", c_int),
                ("doc_context", c_int), ("on_text", TextCallback), ("on_restart", RestartCallback),
                ("on_segment", SegmentCallback), ("user_data", c_void_p),
                ("style", c_char_p), ("preferences", ctypes.POINTER(c_char_p)), ("n_preferences", c_size_t),
                ("delimiters", c_int), ("structured_format", c_char_p), ("prompt_family", c_char_p)]


class Segment(ctypes.Structure):
    _fields_ = [("struct_size", c_size_t), ("where", c_char_p), ("source", c_char_p), ("output", c_char_p),
                ("source_lang", c_char_p), ("n_prompt_tokens", ctypes.c_int64),
                ("n_output_tokens", ctypes.c_int64), ("n_cached_tokens", ctypes.c_int64),
                ("prefill_ms", ctypes.c_double), ("decode_ms", ctypes.c_double),
                ("confidence", ctypes.c_double), ("n_pieces", c_size_t), ("retried", c_int),
                ("kept_source", c_int), ("n_problems", c_size_t)]


Status = c_int
_P = ctypes.POINTER

# name: (restype, argtypes)
_FUNCTIONS = {
    "hymt_version": (c_char_p, []),
    "hymt_api_version": (c_int, []),
    "hymt_last_error": (c_char_p, []),
    "hymt_status_name": (c_char_p, [c_int]),
    "hymt_language_count": (c_size_t, []),
    "hymt_language_get": (Status, [c_size_t, _P(Language)]),
    "hymt_language_find": (Status, [c_char_p, _P(c_char_p)]),
    "hymt_detect_language": (Status, [c_char_p, c_size_t, _P(c_char_p), _P(ctypes.c_double)]),
    "hymt_model_params_init": (c_int, [ctypes.POINTER(ModelParams), c_size_t]),
    "hymt_model_load": (Status, [c_char_p, _P(ModelParams), _P(c_void_p)]),
    "hymt_model_free": (None, [c_void_p]),
    "hymt_model_get_info": (Status, [c_void_p, _P(ModelInfo)]),
    "hymt_tokenize": (Status, [c_void_p, c_char_p, c_size_t, c_int, _P(ctypes.c_int32), c_size_t, _P(c_size_t)]),
    "hymt_detokenize": (Status, [c_void_p, _P(ctypes.c_int32), c_size_t, c_char_p, c_size_t, _P(c_size_t)]),
    "hymt_translator_new": (Status, [c_void_p, _P(c_void_p)]),
    "hymt_translator_free": (None, [c_void_p]),
    "hymt_translator_cancel": (Status, [c_void_p]),
    "hymt_translate_params_init": (c_int, [ctypes.POINTER(TranslateParams), c_size_t]),
    "hymt_translate": (Status, [c_void_p, c_char_p, c_size_t, _P(TranslateParams), _P(c_void_p)]),
    "hymt_translate_file": (Status, [c_void_p, c_char_p, c_char_p, _P(TranslateParams), _P(c_void_p)]),
    "hymt_result_output": (Status, [c_void_p, _P(c_void_p), _P(c_size_t)]),
    "hymt_result_json": (Status, [c_void_p, _P(c_char_p)]),
    "hymt_result_checks_failed": (c_int, [c_void_p]),
    "hymt_result_segment_count": (c_size_t, [c_void_p]),
    "hymt_result_segment": (Status, [c_void_p, c_size_t, _P(Segment)]),
    "hymt_result_problem": (Status, [c_void_p, c_size_t, c_size_t, _P(c_char_p), _P(c_char_p)]),
    "hymt_result_free": (None, [c_void_p]),
}

_lock = threading.Lock()
_lib = None
_lib_path = None


def _candidates():
    """Where to look, in order: $HYMT_LIBRARY, a copy inside the package, the system loader."""
    env = os.environ.get("HYMT_LIBRARY")
    if env:
        return [env], True
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, n) for n in ("libhymt.so.1", "libhymt.so", "libhymt.dylib", "hymt.dll")
             if os.path.exists(os.path.join(here, n))]
    name = ctypes.util.find_library("hymt")
    if name:
        found.append(name)
    found += ["libhymt.so.1", "libhymt.so"]
    return found, False


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", c_char_p), ("dli_fbase", c_void_p), ("dli_sname", c_char_p), ("dli_saddr", c_void_p)]


def _file_of(lib, name):
    """The file the loader mapped for `lib` (dladdr of one of its functions), else `name`."""
    try:
        dladdr = ctypes.CDLL(None).dladdr
        dladdr.argtypes = [c_void_p, ctypes.POINTER(_DlInfo)]
        info = _DlInfo()
        if dladdr(ctypes.cast(lib.hymt_version, c_void_p), ctypes.byref(info)) and info.dli_fname:
            return os.path.abspath(os.fsdecode(info.dli_fname))
    except (AttributeError, OSError):
        pass
    return name


def _open():
    paths, from_env = _candidates()
    errors = []
    for p in paths:
        try:
            lib = ctypes.CDLL(p)
        except OSError as e:
            errors.append("%s: %s" % (p, e))
            continue
        try:
            for name, (restype, argtypes) in _FUNCTIONS.items():
                f = getattr(lib, name)
                f.restype = restype
                f.argtypes = argtypes
        except AttributeError as e:
            errors.append("%s: not the hymt C library (%s)" % (p, e))
            continue
        v = lib.hymt_api_version()
        if v // 1000 != API_MAJOR:
            raise LibraryError("%s has C API version %d.%d; this binding needs %d.x" % (p, v // 1000, v % 1000, API_MAJOR),
                               "unsupported")
        return lib, _file_of(lib, p)
    where = "HYMT_LIBRARY=%s" % paths[0] if from_env else "the package folder, ctypes.util.find_library('hymt') and the loader's path"
    raise LibraryError("cannot load libhymt (looked in %s): %s. Build it (cmake --build build: build/lib/libhymt.so) "
                       "and set HYMT_LIBRARY to its path, or put it on the loader's path" % (where, "; ".join(errors)),
                       "not_found")


def lib():
    """The loaded library (loaded on first use; thread-safe)."""
    global _lib, _lib_path
    if _lib is None:
        with _lock:
            if _lib is None:
                _lib, _lib_path = _open()
    return _lib


def lib_path():
    lib()
    return _lib_path
