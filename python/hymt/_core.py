"""The Python API over the C API: Model, Translator, Result, Stream and the module functions.

Invariants:
- A C object is freed exactly once, never while a call on it is running: every call holds its
  handle (_Handle.use) and close() during a call defers the free to the end of that call (a
  translator's running call is cancelled first).
- The message of a failed C call is read on the calling thread right after the call.
- A Python exception raised in a callback never crosses into C: it is stored, the callback returns
  non-zero (which cancels the call) and the exception is raised once the C call has returned.
- Results are copied into Python objects and the C result freed before a method returns.
"""
import atexit
import contextlib
import ctypes
import json as _json
import os
import queue
import threading
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from . import _native as N
from ._errors import CancelledError, ClosedError, InvalidArgumentError, error_for

Text = Union[str, bytes]
PathLike = Union[str, bytes, "os.PathLike[str]"]


# ---- helpers ----------------------------------------------------------------------------------

def _lib():
    return N.lib()


def _error(status):
    """The exception for a failed call that returned `status` (read the message now, on this thread)."""
    L = _lib()
    msg = (L.hymt_last_error() or b"").decode("utf-8", "replace")
    if not msg:
        msg = (L.hymt_status_name(status) or b"error").decode()
    return error_for(status, msg)


def _check(status):
    if status != 0:
        raise _error(status)


def _str(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode("utf-8", "replace")


def _bytes(s: Optional[Text], what: str) -> Optional[bytes]:
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode("utf-8")
    raise TypeError("%s: expected str, got %s" % (what, type(s).__name__))


def _text(s: Text) -> bytes:
    if s is None:
        raise TypeError("text: expected str or bytes, got None")
    return _bytes(s, "text")


def _cstr(s: Optional[str], what: str) -> Optional[bytes]:
    b = _bytes(s, what)
    if b is not None and b"\0" in b:
        raise InvalidArgumentError("%s contains a NUL character" % what)
    return b


class _Handle:
    """A C object pointer that is freed once, after the last call using it has returned."""

    def __init__(self, ptr, free, what):
        self._ptr = ptr
        self._free = free
        self._what = what
        self._lock = threading.Lock()
        self._active = 0
        self._closed = False

    @property
    def closed(self):
        return self._closed

    @contextlib.contextmanager
    def use(self):
        with self._lock:
            if self._closed:
                raise ClosedError("%s is closed" % self._what)
            self._active += 1
            ptr = self._ptr
        try:
            yield ptr
        finally:
            with self._lock:
                self._active -= 1
                ptr = self._take() if self._closed and self._active == 0 else None
            if ptr:
                self._free(ptr)

    def _take(self):
        ptr, self._ptr = self._ptr, None
        return ptr

    def close(self, while_busy: Optional[Callable[[int], None]] = None):
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._active:
                if while_busy is not None:
                    while_busy(self._ptr)  # under the lock: the pointer is still valid
                return  # the last running call frees it
            ptr = self._take()
        if ptr:
            self._free(ptr)


# ---- module functions -------------------------------------------------------------------------

def version() -> str:
    """The library's version, e.g. "0.1.0 (commit abc1234)"."""
    return _lib().hymt_version().decode()


def api_version() -> int:
    """The library's C API version: major * 1000 + minor."""
    return int(_lib().hymt_api_version())


def library_path() -> str:
    """The path of the loaded libhymt."""
    return N.lib_path()


@dataclass(frozen=True)
class Language:
    code: str     # HY-MT code: "zh", "en", "zh-Hant", ...
    flores: str   # FLORES-200 code: "zho_Hans"
    english: str  # "Chinese"
    chinese: str  # "中文"


def languages() -> List[Language]:
    """The languages HY-MT translates (38)."""
    L = _lib()
    out = []
    for i in range(L.hymt_language_count()):
        lang = N.Language()
        lang.struct_size = ctypes.sizeof(N.Language)
        _check(L.hymt_language_get(i, ctypes.byref(lang)))
        out.append(Language(_str(lang.code), _str(lang.flores), _str(lang.english), _str(lang.chinese)))
    return out


def find_language(name: str) -> str:
    """The HY-MT code of a language given by code, FLORES code, English or Chinese name or alias
    ("French", "fra_Latn", "法语", "zh-TW"). Raises InvalidArgumentError for other names."""
    code = ctypes.c_char_p()
    _check(_lib().hymt_language_find(_cstr(name, "language name"), ctypes.byref(code)))
    return _str(code.value)


def detect(text: Text) -> Tuple[Optional[str], float]:
    """(code, confidence) of the most likely language of `text`; (None, 0.0) when it has no letters.
    The confidence ranks how sure the detector is; it is not a calibrated probability."""
    b = _text(text)
    code = ctypes.c_char_p()
    conf = ctypes.c_double()
    _check(_lib().hymt_detect_language(b, len(b), ctypes.byref(code), ctypes.byref(conf)))
    return _str(code.value), float(conf.value)


# ---- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    code: str               # "wrong_language", "echo", "lost_placeholder", ...
    message: Optional[str]


@dataclass(frozen=True)
class Segment:
    """One unit of the document (a line, a cue, a JSON value, ...)."""
    where: str               # "line 1", "cue 3, line 9", "key menu.open"
    source: str
    output: str              # the text that went into the document
    source_lang: Optional[str]  # given or detected language of its first piece; None if none
    prompt_tokens: int
    output_tokens: int
    cached_tokens: int       # prompt tokens reused from the prefix cache
    prefill_ms: float
    decode_ms: float
    confidence: float        # mean log-probability of the generated tokens (<= 0; higher is surer)
    pieces: int              # sentences the unit was split into
    retried: bool            # the checks failed once and it was translated again
    kept_source: bool        # no usable translation: the source text was kept
    problems: Tuple[Problem, ...] = ()


@dataclass
class Result:
    """A translated document: `text`, per-unit `segments`, `checks_failed`, and `json`, the report
    `hymt translate --json` prints (parsed)."""
    text: str
    segments: List[Segment]
    checks_failed: bool
    json_text: str = field(repr=False)

    @property
    def json(self) -> dict:
        return _json.loads(self.json_text)

    def __str__(self):
        return self.text


def _read_result(res) -> Result:
    L = _lib()
    p = ctypes.c_void_p()
    n = ctypes.c_size_t()
    _check(L.hymt_result_output(res, ctypes.byref(p), ctypes.byref(n)))
    text = ctypes.string_at(p.value, n.value).decode("utf-8", "replace") if p.value and n.value else ""
    j = ctypes.c_char_p()
    _check(L.hymt_result_json(res, ctypes.byref(j)))
    segments = []
    for i in range(L.hymt_result_segment_count(res)):
        s = N.Segment()
        s.struct_size = ctypes.sizeof(N.Segment)
        _check(L.hymt_result_segment(res, i, ctypes.byref(s)))
        problems = []
        for k in range(s.n_problems):
            code, msg = ctypes.c_char_p(), ctypes.c_char_p()
            _check(L.hymt_result_problem(res, i, k, ctypes.byref(code), ctypes.byref(msg)))
            problems.append(Problem(_str(code.value), _str(msg.value)))
        segments.append(Segment(
            where=_str(s.where) or "", source=_str(s.source) or "", output=_str(s.output) or "",
            source_lang=_str(s.source_lang) or None, prompt_tokens=s.n_prompt_tokens,
            output_tokens=s.n_output_tokens, cached_tokens=s.n_cached_tokens, prefill_ms=s.prefill_ms,
            decode_ms=s.decode_ms, confidence=s.confidence, pieces=s.n_pieces, retried=bool(s.retried),
            kept_source=bool(s.kept_source), problems=tuple(problems)))
    return Result(text=text, segments=segments, checks_failed=bool(L.hymt_result_checks_failed(res)),
                  json_text=_str(j.value) or "{}")


# ---- translation parameters ---------------------------------------------------------------------

class _Call:
    """What one C call needs kept alive (strings, arrays, callbacks) and what its callbacks saw."""

    def __init__(self, stop: Optional[threading.Event] = None):
        self.keep = []
        self.error = None  # the first exception a callback raised
        self.stop = stop
        self.ptr = None  # the translator, while the C call runs (then it is in _running)
        self.done = threading.Event()

    def _stopping(self):
        return _exiting or self.error is not None or (self.stop is not None and self.stop.is_set())

    def guard(self, fn):
        """fn wrapped so that it never raises into C; returns 1 (cancel) after an exception or a stop."""
        def wrapped(*args):
            if self._stopping():
                return 1
            try:
                fn(*args)
            except BaseException as e:  # noqa: B902 -- KeyboardInterrupt too: re-raised after the call
                self.error = e
                return 1
            return 1 if self._stopping() else 0
        return wrapped


# The C calls running now, for _cancel_at_exit. Python ends a daemon thread that calls back into it
# during finalization with pthread_exit, whose unwinding must never cross the library's C++ frames
# (it aborts: "FATAL: exception not rethrown"); and the library must not be torn down under a call.
# So at exit every running call is cancelled and awaited, and new ones refuse to start.
_running = set()
_running_lock = threading.Lock()
_exiting = False


@atexit.register
def _cancel_at_exit():
    global _exiting
    with _running_lock:
        _exiting = True
        calls = list(_running)
        for c in calls:  # under the lock: each c.ptr is valid until its call leaves _running
            try:
                _lib().hymt_translator_cancel(c.ptr)
            except Exception:
                pass
    for c in calls:
        c.done.wait(30)


def _params(call: _Call, to, source=None, format=None, glossary=None, keep=None, context=None, glossary_file=None,
            formatted=False, sampling=None, temperature=None, top_p=None, top_k=None, repeat_penalty=None, seed=None,
            loop_guard=None, max_tokens=None, checks=None, retry=None, segment_tokens=None, doc_context=None,
            style=None, preferences=None, delimiters=False, structured_format=None, prompt_family=None,
            on_text=None, on_restart=None, on_segment=None):
    """The hymt_translate_params for these options (the library's defaults for every None)."""
    p = N.TranslateParams()
    _check(_lib().hymt_translate_params_init(ctypes.byref(p), ctypes.sizeof(p)))
    k = call.keep

    def s(v, what):
        b = _cstr(os.fspath(v) if isinstance(v, os.PathLike) else v, what)
        k.append(b)
        return b

    if to is None:
        raise InvalidArgumentError("the target language is required (to=...)")
    p.target_lang = s(to, "to")
    # The string options: (struct field, value, keyword for messages); None keeps the default.
    for attr, v, name in (("source_lang", source, "source"), ("format", format, "format"),
                           ("context", context, "context"), ("glossary_file", glossary_file, "glossary_file"),
                           ("sampling", sampling, "sampling"), ("style", style, "style"),
                           ("structured_format", structured_format, "structured_format"),
                           ("prompt_family", prompt_family, "prompt_family")):
        if v is not None:
            setattr(p, attr, s(v, name))
    if preferences:
        if isinstance(preferences, (str, bytes)):
            preferences = [preferences]
        prefs = [s(x, "preference") for x in preferences]
        arr = (ctypes.c_char_p * len(prefs))(*prefs)
        k.append(arr)
        p.preferences = ctypes.cast(arr, ctypes.POINTER(ctypes.c_char_p))
        p.n_preferences = len(prefs)
    p.delimiters = 1 if delimiters else 0
    if glossary:
        pairs = list(glossary.items() if isinstance(glossary, dict) else glossary)
        arr = (N.GlossaryEntry * len(pairs))()
        for i, (src, tgt) in enumerate(pairs):
            arr[i].source = s(src, "glossary source")
            arr[i].target = s(tgt, "glossary target")
        k.append(arr)
        p.glossary = ctypes.cast(arr, ctypes.POINTER(N.GlossaryEntry))
        p.n_glossary = len(pairs)
    if keep:
        if isinstance(keep, (str, bytes)):
            keep = [keep]
        terms = [s(t, "keep term") for t in keep]
        arr = (ctypes.c_char_p * len(terms))(*terms)
        k.append(arr)
        p.keep = ctypes.cast(arr, ctypes.POINTER(ctypes.c_char_p))
        p.n_keep = len(terms)
    p.formatted = 1 if formatted else 0
    for name, v in (("temperature", temperature), ("top_p", top_p), ("repeat_penalty", repeat_penalty)):
        if v is not None:
            setattr(p, name, float(v))
    for name, v in (("top_k", top_k), ("seed", seed), ("max_tokens", max_tokens), ("segment_tokens", segment_tokens),
                    ("doc_context", doc_context)):
        if v is not None:
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError("%s: expected int, got %s" % (name, type(v).__name__))
            if name != "seed" and not -2 ** 31 <= v < 2 ** 31:
                raise InvalidArgumentError("%s=%d is out of range" % (name, v))
            setattr(p, name, v)
    for name, v in (("loop_guard", loop_guard), ("checks", checks), ("retry", retry)):
        if v is not None:
            setattr(p, name, 1 if v else 0)
    if on_text is not None:
        cb = N.TextCallback(call.guard(lambda ptr, n, _ud: on_text(ctypes.string_at(ptr, n).decode("utf-8", "replace"))))
        k.append(cb)
        p.on_text = cb
    if on_restart is not None:
        cb = N.RestartCallback(call.guard(lambda _ud: on_restart()))
        k.append(cb)
        p.on_restart = cb
    if on_segment is not None:
        cb = N.SegmentCallback(call.guard(
            lambda i, ptr, n, _ud: on_segment(i, ctypes.string_at(ptr, n).decode("utf-8", "replace"))))
        k.append(cb)
        p.on_segment = cb
    if call.stop is not None and on_text is None:
        # a stop flag needs a callback to be polled from: one that does nothing else
        cb = N.TextCallback(call.guard(lambda ptr, n, _ud: None))
        k.append(cb)
        p.on_text = cb
    return p


# ---- model ------------------------------------------------------------------------------------

_KV_TYPES = {"f16": 0, "f32": 1}


@dataclass(frozen=True)
class ModelInfo:
    path: str
    name: str        # general.name of the file ("" when absent)
    family: str      # the prompt family: "hy-mt1.5" or "hy-mt2"
    n_vocab: int
    n_layer: int
    n_embd: int
    n_ctx_train: int


class _Closing:
    """with-statement and finalizer for the objects that own a library handle: both call close()."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass


class Model(_Closing):
    """A loaded GGUF model and its engine, shared read-only by any number of threads (each with its
    own Translator). Use as a context manager, or call close(); translators made from it keep the
    engine alive until they are closed too.

    threads: compute threads (default 2; <= 0: every hardware thread); n_ctx: KV positions per
    segment (4096); max_seqs: segments decoded together per step (8); kv_type: "f16" or "f32";
    cache_mb: MiB of prompt-prefix KV kept for reuse (128; 0: off). None: the library's default.
    """

    def __init__(self, path: PathLike, *, threads: Optional[int] = None, n_ctx: Optional[int] = None,
                 max_seqs: Optional[int] = None, kv_type: Optional[str] = None, cache_mb: Optional[int] = None):
        self._h = None
        L = _lib()
        p = N.ModelParams()
        _check(L.hymt_model_params_init(ctypes.byref(p), ctypes.sizeof(p)))
        for name, v in (("n_threads", threads), ("n_ctx", n_ctx), ("max_seqs", max_seqs), ("cache_mb", cache_mb)):
            if v is not None:
                if isinstance(v, bool) or not isinstance(v, int):
                    raise TypeError("%s: expected int, got %s" % (name, type(v).__name__))
                if not -2 ** 31 <= v < 2 ** 31:
                    raise InvalidArgumentError("%s=%d is out of range" % (name, v))
                setattr(p, name, v)
        if kv_type is not None:
            if kv_type not in _KV_TYPES:
                raise InvalidArgumentError("kv_type=%r: expected one of %s" % (kv_type, ", ".join(_KV_TYPES)))
            p.kv_type = _KV_TYPES[kv_type]
        self.path = os.fsdecode(path)
        out = ctypes.c_void_p()
        status = L.hymt_model_load(os.fsencode(path), ctypes.byref(p), ctypes.byref(out))
        if status != 0:
            raise _error(status)
        self._h = _Handle(out.value, L.hymt_model_free, "the model")
        self._info = None

    # lifetime
    def close(self) -> None:
        """Releases this model handle (the engine goes when its last translator is closed too)."""
        if self._h is not None:
            self._h.close()

    @property
    def closed(self) -> bool:
        return self._h is None or self._h.closed


    def __repr__(self):
        return "<hymt.Model %r%s>" % (self.path, " closed" if self.closed else "")

    # facts and tokens
    @property
    def info(self) -> ModelInfo:
        if self._info is None:
            i = N.ModelInfo()
            i.struct_size = ctypes.sizeof(N.ModelInfo)
            with self._h.use() as ptr:
                _check(_lib().hymt_model_get_info(ptr, ctypes.byref(i)))
                self._info = ModelInfo(self.path, _str(i.name) or "", _str(i.family) or "", i.n_vocab, i.n_layer,
                                       i.n_embd, i.n_ctx_train)
        return self._info

    def tokenize(self, text: Text, parse_special: bool = False) -> List[int]:
        """The model's token ids of `text`; special-token strings count as such only with parse_special."""
        b = _text(text)
        L = _lib()
        n = ctypes.c_size_t()
        cap = len(b) + 16
        with self._h.use() as ptr:
            for _ in range(2):
                buf = (ctypes.c_int32 * cap)()
                status = L.hymt_tokenize(ptr, b, len(b), 1 if parse_special else 0, buf, cap, ctypes.byref(n))
                if status == 9:  # buffer too small: n holds the size needed
                    cap = n.value
                    continue
                _check(status)
                return list(buf[: n.value])
        raise AssertionError("hymt_tokenize: buffer too small twice")

    def detokenize(self, ids: Iterable[int]) -> str:
        """The text of token ids (control tokens skipped, ill-formed UTF-8 replaced by U+FFFD)."""
        ids = list(ids)
        for i in ids:
            if isinstance(i, bool) or not isinstance(i, int):
                raise TypeError("token ids must be int, got %s" % type(i).__name__)
            if not -2 ** 31 <= i < 2 ** 31:
                raise InvalidArgumentError("token id %d is outside the vocabulary" % i)
        arr = (ctypes.c_int32 * len(ids))(*ids)
        L = _lib()
        n = ctypes.c_size_t()
        cap = 8 * len(ids) + 16
        with self._h.use() as ptr:
            for _ in range(2):
                buf = ctypes.create_string_buffer(cap)
                status = L.hymt_detokenize(ptr, arr, len(ids), buf, cap, ctypes.byref(n))
                if status == 9:
                    cap = n.value + 1
                    continue
                _check(status)
                return buf.raw[: n.value].decode("utf-8", "replace")
        raise AssertionError("hymt_detokenize: buffer too small twice")

    # translation
    def translator(self) -> "Translator":
        """A new Translator over this model: one per thread that translates."""
        out = ctypes.c_void_p()
        L = _lib()
        with self._h.use() as ptr:
            status = L.hymt_translator_new(ptr, ctypes.byref(out))
            if status != 0:
                raise _error(status)
        return Translator(self, out.value)

    def translate(self, text: Text, to: str, **options) -> Result:
        """Translates with a translator of its own (thread-safe): see Translator.translate."""
        with self.translator() as t:
            return t.translate(text, to, **options)


# ---- translator -------------------------------------------------------------------------------

class Translator(_Closing):
    """Translates with a Model. One call at a time (a concurrent second call raises BusyError): use
    one Translator per thread. cancel() may be called from any thread."""

    def __init__(self, model: Model, ptr):
        self.model = model
        self._h = _Handle(ptr, _lib().hymt_translator_free, "the translator")

    def close(self) -> None:
        """Frees the translator; a call running on another thread is cancelled first."""
        self._h.close(while_busy=_lib().hymt_translator_cancel)

    @property
    def closed(self) -> bool:
        return self._h.closed


    def cancel(self) -> None:
        """Stops the call running on this translator (on another thread): it raises CancelledError.
        Does nothing when no call is running or the translator is closed."""
        try:
            with self._h.use() as ptr:
                _check(_lib().hymt_translator_cancel(ptr))
        except ClosedError:
            pass

    def _run(self, fn, call: _Call) -> Result:
        """Runs fn(ptr, out) (a C call writing a result), raising a callback's exception first."""
        L = _lib()
        out = ctypes.c_void_p()
        with self._h.use() as ptr:
            with _running_lock:
                if _exiting:
                    raise CancelledError("the interpreter is exiting")
                call.ptr = ptr
                _running.add(call)
            try:
                status = fn(ptr, ctypes.byref(out))
                err = _error(status) if status != 0 else None
            finally:
                with _running_lock:
                    _running.discard(call)
                call.done.set()
        try:
            if call.error is not None:
                raise call.error
            if err is not None:
                raise err
            return _read_result(out.value) if out.value else None
        finally:
            if out.value:
                L.hymt_result_free(out.value)

    def translate(self, text: Text, to: str, *, source: Optional[str] = None, format: Optional[str] = None,
                  glossary: Union[Dict[str, str], Iterable[Tuple[str, str]], None] = None,
                  keep: Optional[Iterable[str]] = None, context: Optional[str] = None,
                  glossary_file: Optional[PathLike] = None, formatted: bool = False, sampling: Optional[str] = None,
                  temperature: Optional[float] = None, top_p: Optional[float] = None, top_k: Optional[int] = None,
                  repeat_penalty: Optional[float] = None, seed: Optional[int] = None,
                  loop_guard: Optional[bool] = None, max_tokens: Optional[int] = None, checks: Optional[bool] = None,
                  retry: Optional[bool] = None, segment_tokens: Optional[int] = None,
                  doc_context: Optional[int] = None, style: Optional[str] = None,
                  preferences: Optional[Iterable[str]] = None, delimiters: bool = False,
                  structured_format: Optional[str] = None, prompt_family: Optional[str] = None,
                  on_text: Optional[Callable[[str], None]] = None,
                  on_restart: Optional[Callable[[], None]] = None,
                  on_segment: Optional[Callable[[int, str], None]] = None) -> Result:
        """Translates `text` (str, or bytes: UTF-8, UTF-16/32 with a BOM, windows-1252) as a document
        of `format` ("text" by default; "srt", "vtt", "html", "markdown", "json", "yaml") into `to`.

        source: "auto"/None (detect per segment) or a language; glossary: {source: target} terms;
        keep: terms never translated; context: preceding text; glossary_file: a TSV/CSV/JSON glossary;
        formatted: the text carries <sn></sn> tags; sampling: "greedy" (default) or "official", with
        temperature/top_p/top_k/repeat_penalty/seed overriding it; max_tokens per segment (0: 2 x
        source + 64); checks/retry: output checks and one retry; segment_tokens, doc_context: document
        splitting and context. Hy-MT2 only (an HY-MT1.5 model refuses them): style ("formal"),
        preferences (personalization instructions), delimiters (keep their number), structured_format
        ("JSON": the text is structured data); prompt_family: "hy-mt1.5" or "hy-mt2" instead of the
        model's. None everywhere: the library's default (as `hymt translate`).

        on_text(piece), on_restart(), on_segment(index, text) are called on this thread during the
        call (on_text makes a document go one segment at a time); their return values are ignored;
        an exception raised in one stops the call and is raised from translate().
        """
        opts = dict(source=source, format=format, glossary=glossary, keep=keep, context=context,
                    glossary_file=glossary_file, formatted=formatted, sampling=sampling, temperature=temperature,
                    top_p=top_p, top_k=top_k, repeat_penalty=repeat_penalty, seed=seed, loop_guard=loop_guard,
                    max_tokens=max_tokens, checks=checks, retry=retry, segment_tokens=segment_tokens,
                    doc_context=doc_context, style=style, preferences=preferences, delimiters=delimiters,
                    structured_format=structured_format, prompt_family=prompt_family, on_text=on_text,
                    on_restart=on_restart, on_segment=on_segment)
        return self._translate(text, to, opts)

    def _translate(self, text, to, opts, stop=None) -> Result:
        b = _text(text)
        call = _Call(stop)
        p = _params(call, to, **opts)
        L = _lib()
        return self._run(lambda ptr, out: L.hymt_translate(ptr, b, len(b), ctypes.byref(p), out), call)

    def translate_file(self, input_path: PathLike, output_path: PathLike, to: str, **options) -> Result:
        """Translates the file `input_path` into `output_path` (written atomically: on any failure an
        existing file is untouched). The format comes from `format=` or the input's extension.
        Takes the keyword arguments of translate()."""
        call = _Call()
        p = _params(call, to, **options)
        src, dst = os.fsencode(input_path), os.fsencode(output_path)
        L = _lib()
        return self._run(lambda ptr, out: L.hymt_translate_file(ptr, src, dst, ctypes.byref(p), out), call)

    def stream(self, text: Text, to: str, *, on_restart: Optional[Callable[[], None]] = None,
               **options) -> "Stream":
        """An iterator over the translation of `text` as it is decoded: str pieces that concatenate
        to Result.text of a one-segment text (a document's segments come one after another, in order,
        without the text between them). When a sentence is translated again because its checks
        failed, `on_restart()` is called (on the iterating thread, between two pieces) and the pieces
        since that sentence began are to be discarded: for a one-sentence text, the pieces after the
        last restart are the translation. `.restarts` counts them; `.result` holds the final Result
        once the iterator is exhausted. Closing the iterator early (break and dropping it, close(),
        leaving a `with` block) cancels the translation. Takes the keyword arguments of translate()
        except its callbacks."""
        for k in ("on_text", "on_segment"):
            if k in options:
                raise TypeError("stream() takes no %s: iterate over it instead" % k)
        if self.closed:
            raise ClosedError("the translator is closed")
        return Stream(self, text, to, on_restart, options)


_END = object()


class _Worker:
    """The C call of one Stream, on its own thread, feeding a queue. It holds no reference to the
    Stream, so a Stream dropped without close() is garbage-collected, and its __del__ stops this."""

    def __init__(self, translator, text, to, options):
        self.queue = queue.Queue()
        self.stop = threading.Event()
        self._args = (translator, text, to, options)
        # A daemon thread: at exit _cancel_at_exit stops its C call (as every other running one).
        self.thread = threading.Thread(target=self._work, name="hymt-stream", daemon=True)
        self.thread.start()

    def _work(self):
        translator, text, to, options = self._args
        q = self.queue
        opts = dict(options, on_text=lambda s: q.put(("text", s)), on_restart=lambda: q.put(("restart", None)))
        try:
            res = translator._translate(text, to, opts, stop=self.stop)
            q.put((_END, None, res))
        except BaseException as e:  # noqa: B902 -- handed to the consumer
            q.put((_END, e, None))

    def cancel_and_join(self):
        self.stop.set()  # the callbacks return non-zero from now on
        self._args[0].cancel()  # and the engine stops at its next step
        self.thread.join()


class Stream(_Closing):
    """The iterator Translator.stream returns; see there. The translation runs on a worker thread
    (the C call blocks and calls back on the thread that made it), which feeds a queue read by
    __next__."""

    def __init__(self, translator: Translator, text: Text, to: str, on_restart, options):
        _params(_Call(), to, **options)  # bad options raise here, not in the worker
        _text(text)
        self._args = (translator, text, to, options)
        self._on_restart = on_restart
        self._worker = None
        self._done = False
        self.result: Optional[Result] = None
        self.restarts = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._done:
            raise StopIteration
        if self._worker is None:
            self._worker = _Worker(*self._args)
        while True:
            item = self._worker.queue.get()
            if item[0] == "text":
                return item[1]
            if item[0] == "restart":
                self.restarts += 1
                if self._on_restart is not None:
                    self._on_restart()
                continue
            self._done = True
            self._worker.thread.join()
            if item[1] is not None:
                raise item[1]
            self.result = item[2]
            raise StopIteration

    def close(self) -> None:
        """Cancels the translation if it is still running and waits for its worker thread to end."""
        if self._done:
            return
        self._done = True
        if self._worker is not None:
            self._worker.cancel_and_join()

