/* hymt.h: the C API of hymt, the offline engine for Tencent's HY-MT translation models.
 *
 * C99, the one public header. It gives everything `hymt translate` does: load a GGUF model once,
 * translate text or whole documents (text, SRT, WebVTT, HTML, Markdown, JSON, YAML) between the 38
 * HY-MT languages with glossary, kept terms, context and sampling options, stream the output, get
 * the per-segment report (tokens, timings, confidence, problems found by the output checks), cancel
 * from another thread, detect languages and tokenize.
 *
 * Conventions
 * - Every function that can fail returns hymt_status. HYMT_OK is 0. On failure the message of the
 *   error is kept per thread: hymt_last_error() returns it until the next failing call on that
 *   thread. No C++ exception, abort or exit ever leaves the library; bad arguments (NULL where an
 *   object is needed, an unknown language, an unreadable model) are errors, never crashes.
 * - Objects are opaque and created by *_new / *_load functions that write the object through an out
 *   pointer; each has a *_free function that accepts NULL.
 * - Parameter structs start with struct_size. Fill one with its *_params_init(&p, sizeof p) function
 *   (the defaults, and struct_size = sizeof p) and change the fields you need. The library reads and
 *   writes only the first struct_size bytes, so a program built against an older, shorter struct
 *   keeps working with a newer library (the fields it does not know take their defaults). Structs
 *   never cross the boundary by value, for the same reason.
 * - Strings are UTF-8. Text passed with a length may contain any bytes; strings returned by the
 *   library are NUL-terminated, and their lengths are given where the text may contain NUL.
 * - Strings and arrays returned by the library are owned by the object they come from and stay
 *   valid until that object is freed (or, for hymt_last_error, until the next failing call on the
 *   same thread), unless a function says otherwise.
 *
 * Threads
 * - A hymt_model is shared read-only: any number of threads may use it at once, each through its
 *   own hymt_translator. All translators of one model feed one engine, which decodes their
 *   segments together in batches (up to max_seqs at once); a result never depends on what else is
 *   being decoded.
 * - A hymt_translator runs one call at a time: a second concurrent call on the same translator
 *   fails with HYMT_ERR_BUSY. hymt_translator_cancel() may be called from any thread.
 * - Callbacks run on the thread that called hymt_translate / hymt_translate_file.
 * - A thread must not be cancelled (pthread_cancel) or exited while it is inside a call: cancel the
 *   call (hymt_translator_cancel) and let it return first.
 * - A hymt_result is immutable: any number of threads may read it; free it once, after the reads.
 */
#ifndef HYMT_HYMT_H
#define HYMT_HYMT_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define HYMT_API __declspec(dllexport)
#elif defined(__GNUC__)
#define HYMT_API __attribute__((visibility("default")))
#else
#define HYMT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header's API. A library with the same major version is compatible. */
#define HYMT_API_VERSION_MAJOR 1
#define HYMT_API_VERSION_MINOR 0

typedef enum hymt_status {
  HYMT_OK = 0,
  HYMT_ERR_INVALID_ARGUMENT = 1, /* a NULL object, a bad value, an unknown language or format */
  HYMT_ERR_NOT_FOUND = 2,        /* a missing file */
  HYMT_ERR_IO = 3,               /* a file that cannot be read or written */
  HYMT_ERR_CORRUPT_FILE = 4,     /* a model or document whose bytes break its format */
  HYMT_ERR_UNSUPPORTED = 5,      /* well-formed, but not something hymt runs */
  HYMT_ERR_OUT_OF_MEMORY = 6,
  HYMT_ERR_INTERNAL = 7,         /* a bug in hymt: please report it with the message */
  HYMT_ERR_CANCELLED = 8,        /* hymt_translator_cancel() or a callback asked to stop */
  HYMT_ERR_BUFFER_TOO_SMALL = 9, /* the caller's buffer is too short; the size needed is reported */
  HYMT_ERR_BUSY = 10             /* the translator is already running a call on another thread */
} hymt_status;

/* ---- Version and errors ------------------------------------------------------------------- */

/* "0.1.0 (commit abc1234)": the library's version. Static storage; never NULL. Thread-safe. */
HYMT_API const char* hymt_version(void);
/* HYMT_API_VERSION_MAJOR * 1000 + HYMT_API_VERSION_MINOR of the library (not of the header the
 * program was built with). Thread-safe. */
HYMT_API int hymt_api_version(void);
/* The message of the last failed call on this thread, "" when none has failed. Valid until the next
 * failing call on this thread. Never NULL. */
HYMT_API const char* hymt_last_error(void);
/* "ok", "invalid_argument", ...: a name for a status. Static storage; never NULL. */
HYMT_API const char* hymt_status_name(hymt_status status);

/* ---- Languages ---------------------------------------------------------------------------- */

typedef struct hymt_language {
  size_t struct_size; /* set it to sizeof(hymt_language) before hymt_language_get */
  const char* code;    /* HY-MT code: "zh", "en", "zh-Hant", "yue", ... */
  const char* flores;  /* FLORES-200 code: "zho_Hans", "eng_Latn", ... */
  const char* english; /* English name: "Chinese" */
  const char* chinese; /* Chinese name: "中文" */
} hymt_language;

/* The number of languages HY-MT translates (38). Thread-safe. */
HYMT_API size_t hymt_language_count(void);
/* Language i (0 <= i < hymt_language_count()) into *out; its strings have static storage.
 * Thread-safe. */
HYMT_API hymt_status hymt_language_get(size_t i, hymt_language* out);
/* The HY-MT code of a language given by code, FLORES code, English or Chinese name or alias
 * ("fr", "fra_Latn", "French", "法语", "zh-TW"): *code receives a string of static storage.
 * HYMT_ERR_INVALID_ARGUMENT (with the list of codes in the message) for other names. */
HYMT_API hymt_status hymt_language_find(const char* name, const char** code);
/* The most likely language of `text` (len bytes): *code receives its HY-MT code (static storage) and
 * *confidence (may be NULL) a score in [0, 1] that ranks how sure the detector is (not a calibrated
 * probability). When the text has no letters (empty, digits, symbols) the call succeeds with *code
 * set to NULL and *confidence to 0. Thread-safe; no model needed. */
HYMT_API hymt_status hymt_detect_language(const char* text, size_t len, const char** code, double* confidence);

/* ---- Models ------------------------------------------------------------------------------- */

typedef struct hymt_model hymt_model;

typedef enum hymt_kv_type { HYMT_KV_F16 = 0, HYMT_KV_F32 = 1 } hymt_kv_type;

typedef struct hymt_model_params {
  size_t struct_size;
  int n_threads;        /* compute threads; default 2; <= 0: every hardware thread */
  int n_ctx;            /* KV-cache positions per segment; default 4096 */
  int max_seqs;         /* segments decoded together in one batched pass per step; default 8 */
  hymt_kv_type kv_type; /* element type of the KV cache; default HYMT_KV_F16 */
  int cache_mb;         /* MiB of prompt-prefix KV kept for reuse across calls; default 128; 0: off */
} hymt_model_params;

/* Fills *params with the defaults above; size is sizeof *params as the caller's header declares it
 * (struct_size receives it). HYMT_ERR_INVALID_ARGUMENT for NULL or a size below sizeof(size_t). */
HYMT_API hymt_status hymt_model_params_init(hymt_model_params* params, size_t size);

/* Loads a GGUF model file (any format hymt reads: STQ1_0, Q2_0C, Q4_K_M, Q8_0, F16, ...) and starts
 * its engine: the weights are memory-mapped, the engine's decode thread and compute threads start.
 * params may be NULL (defaults). On success *out receives the model; on failure *out is set to NULL
 * and the status says why (HYMT_ERR_NOT_FOUND, HYMT_ERR_CORRUPT_FILE, HYMT_ERR_UNSUPPORTED for a
 * file without the HY chat vocabulary, ...). */
HYMT_API hymt_status hymt_model_load(const char* path, const hymt_model_params* params, hymt_model** out);
/* Releases the caller's reference. The model's memory and threads go when its last translator is
 * freed too (a translator keeps its model alive), so the order of the *_free calls does not matter.
 * NULL is ignored. Not concurrently with other calls on the same model handle. */
HYMT_API void hymt_model_free(hymt_model* model);

typedef struct hymt_model_info {
  size_t struct_size;  /* set it to sizeof(hymt_model_info) before hymt_model_get_info */
  const char* name;    /* general.name of the file ("" when absent) */
  const char* family;  /* the prompt family it selects: "hy-mt1.5" or "hy-mt2" */
  int32_t n_vocab;
  int32_t n_layer;
  int32_t n_embd;
  int32_t n_ctx_train; /* informational */
} hymt_model_info;

/* Facts about the model; strings owned by the model. Thread-safe. */
HYMT_API hymt_status hymt_model_get_info(const hymt_model* model, hymt_model_info* out);

/* ---- Tokenizer (the model's own vocabulary) ----------------------------------------------- */

/* Token ids of `text` (len bytes). Special tokens in the text ("<|startoftext|>") are read as such
 * only when parse_special is non-zero. *n_tokens always receives the number of ids; when it exceeds
 * capacity, HYMT_ERR_BUFFER_TOO_SMALL is returned and nothing is written (call again with a larger
 * buffer; tokens may be NULL when capacity is 0). Thread-safe. */
HYMT_API hymt_status hymt_tokenize(const hymt_model* model, const char* text, size_t len, int parse_special,
                                   int32_t* tokens, size_t capacity, size_t* n_tokens);
/* Text of n ids (control tokens skipped), with ill-formed UTF-8 replaced by U+FFFD. *len always
 * receives the length in bytes (without the NUL); when len + 1 exceeds capacity,
 * HYMT_ERR_BUFFER_TOO_SMALL is returned and nothing is written (buf may be NULL when capacity is 0).
 * Otherwise buf receives the text and a NUL. An id outside the vocabulary is
 * HYMT_ERR_INVALID_ARGUMENT. Thread-safe. */
HYMT_API hymt_status hymt_detokenize(const hymt_model* model, const int32_t* tokens, size_t n, char* buf,
                                     size_t capacity, size_t* len);

/* ---- Translators -------------------------------------------------------------------------- */

typedef struct hymt_translator hymt_translator;

/* A translator over `model` (which it keeps alive). One per thread that translates. */
HYMT_API hymt_status hymt_translator_new(hymt_model* model, hymt_translator** out);
/* NULL is ignored. Must not run concurrently with a call on the same translator. */
HYMT_API void hymt_translator_free(hymt_translator* translator);
/* Asks the call running on `translator` (on another thread) to stop: it ends at the engine's next
 * step and returns HYMT_ERR_CANCELLED. With no call running it does nothing (a later call is not
 * affected); a callback that returns non-zero is the race-free way to stop from the calling thread.
 * Thread-safe. */
HYMT_API hymt_status hymt_translator_cancel(hymt_translator* translator);

/* One glossary entry: `source` in the text is translated as `target`. */
typedef struct hymt_glossary_entry {
  const char* source;
  const char* target;
} hymt_glossary_entry;

/* Streaming. Each callback returns 0 to go on, or non-zero to cancel the call (which then returns
 * HYMT_ERR_CANCELLED). They run on the calling thread, during the call.
 * on_text: each new piece of the translated segments' text as soon as it is complete UTF-8 (not
 *   NUL-terminated). Setting it makes a document go one segment at a time, in order (without it
 *   the segments of a document are decoded together in batches). Only translated text is streamed:
 *   the document's own bytes between units (cue timings, markup, JSON) are not, so the streamed
 *   pieces are a preview and the result's output is the document.
 * Once a callback has returned non-zero, no callback is called again during that call.
 * on_restart: the segment being streamed is being translated again (its output checks failed);
 *   the text streamed since the last restart or segment start is to be discarded. Without
 *   on_restart a retry is not streamed: on_text then shows the first attempt, while the result may
 *   hold the retry's output.
 * on_segment: unit `index` of the document has its first translation (len bytes of text, not
 *   NUL-terminated); once per unit, in the order the units finish (document order when on_text is
 *   set). The final text, after the document's own checks, is in the result. */
typedef int (*hymt_text_callback)(const char* text, size_t len, void* user_data);
typedef int (*hymt_restart_callback)(void* user_data);
typedef int (*hymt_segment_callback)(size_t index, const char* text, size_t len, void* user_data);

typedef struct hymt_translate_params {
  size_t struct_size;
  const char* source_lang; /* NULL, "" or "auto": detect per segment; else a name hymt_language_find takes */
  const char* target_lang; /* required */
  /* "text" (default when NULL or ""), "srt", "vtt", "html", "markdown", "json", "yaml". For
   * hymt_translate_file, NULL/"" means: from the input file's extension. */
  const char* format;
  const char* context;                /* preceding text given to the model as context; NULL: none */
  const hymt_glossary_entry* glossary; /* n_glossary entries; NULL when n_glossary is 0 */
  size_t n_glossary;
  const char* const* keep; /* n_keep terms never translated */
  size_t n_keep;
  const char* glossary_file; /* a TSV, CSV or JSON glossary file as `hymt translate --glossary` reads */
  int formatted;             /* the text carries <sn></sn> format tags (the formatted template) */
  /* Decoding. sampling: "greedy" (default; deterministic, with the n-gram loop guard) or "official"
   * (the model cards' settings). The fields below override the preset when set (>= 0). */
  const char* sampling;
  float temperature;    /* default -1: the preset's */
  float top_p;          /* default -1 */
  int top_k;            /* default -1 */
  float repeat_penalty; /* default -1 */
  int64_t seed;         /* default -1 (the preset's: 0) */
  int loop_guard;       /* default 1 */
  int max_tokens;       /* per segment; default 0: 2 x source tokens + 64 */
  int checks;           /* run the output checks; default 1 */
  int retry;            /* retry a segment once when a check fails; default 1 */
  int segment_tokens;   /* documents: split longer paragraphs into sentences under this many tokens;
                           default 256; 0: never */
  int doc_context;      /* documents: preceding segments passed as context; default 2; 0: off */
  hymt_text_callback on_text;       /* may be NULL */
  hymt_restart_callback on_restart; /* may be NULL */
  hymt_segment_callback on_segment; /* may be NULL */
  void* user_data;                  /* passed to the callbacks */
  /* Hy-MT2 instructions (`hymt translate --style/--preference/--delimiters/--structured`); a
   * HY-MT1.5 model refuses them with HYMT_ERR_INVALID_ARGUMENT. */
  const char* style;               /* e.g. "formal"; NULL: none */
  const char* const* preferences;  /* n_preferences personalization instructions */
  size_t n_preferences;
  int delimiters;                  /* keep the same number of delimiters (the delimiters template) */
  const char* structured_format;   /* the input is structured data of this format ("JSON"); NULL: no */
  /* The prompt set: NULL (default: from the model's metadata), "hy-mt1.5" or "hy-mt2". */
  const char* prompt_family;
} hymt_translate_params;

/* Fills *params with the defaults above (target_lang NULL: set it); size is sizeof *params (as for
 * hymt_model_params_init). */
HYMT_API hymt_status hymt_translate_params_init(hymt_translate_params* params, size_t size);

typedef struct hymt_result hymt_result;

/* Translates `text` (len bytes; UTF-8, or UTF-16/32 with a BOM, or windows-1252) as a document of
 * params->format, as `hymt translate` does: long paragraphs are split into sentences, each segment
 * gets the official prompt, the output checks run and a failing segment is retried once; a
 * translation still unusable after that is replaced by its source text and reported. On success
 * *out receives the result (free it with hymt_result_free), also when some checks failed
 * (hymt_result_checks_failed). On failure *out is NULL: HYMT_ERR_INVALID_ARGUMENT for an unknown
 * language, format or option and for empty text, HYMT_ERR_CORRUPT_FILE for a malformed document,
 * HYMT_ERR_CANCELLED. */
HYMT_API hymt_status hymt_translate(hymt_translator* translator, const char* text, size_t len,
                                    const hymt_translate_params* params, hymt_result** out);
/* The same for a file: reads input_path, translates it (format from params->format, else from the
 * extension: .txt .srt .vtt .html/.htm .md/.markdown .json .yaml/.yml; others are plain text) and
 * writes the translated document to output_path atomically (a temporary file renamed into place: an
 * existing file is never left half-written, and on any failure it is untouched). out may be NULL. */
HYMT_API hymt_status hymt_translate_file(hymt_translator* translator, const char* input_path, const char* output_path,
                                         const hymt_translate_params* params, hymt_result** out);

/* ---- Results ------------------------------------------------------------------------------ */

/* The translated document (UTF-8): *text (NUL-terminated, owned by the result) and *len (may be
 * NULL). */
HYMT_API hymt_status hymt_result_output(const hymt_result* result, const char** text, size_t* len);
/* The per-segment report as JSON, exactly what `hymt translate --json` prints: {"format",
 * "charset", "segments": [...], "output"}. Owned by the result. */
HYMT_API hymt_status hymt_result_json(const hymt_result* result, const char** json);
/* Non-zero when some segment has problems the checks could not resolve (the CLI's exit code 4). */
HYMT_API int hymt_result_checks_failed(const hymt_result* result);
/* The number of segments (document units); 0 for NULL. */
HYMT_API size_t hymt_result_segment_count(const hymt_result* result);

typedef struct hymt_segment {
  size_t struct_size;      /* set it to sizeof(hymt_segment) before hymt_result_segment */
  const char* where;       /* "line 1", "cue 3, line 9", "key menu.open" */
  const char* source;      /* the unit's source text */
  const char* output;      /* the text that went into the document */
  const char* source_lang; /* the language used (given or detected) of the first piece; "" if none */
  int64_t n_prompt_tokens;
  int64_t n_output_tokens;
  int64_t n_cached_tokens; /* prompt tokens reused from the prefix cache */
  double prefill_ms;
  double decode_ms;
  double confidence;   /* mean log-probability of the generated tokens (<= 0; higher is surer) */
  size_t n_pieces;     /* sentences the unit was split into */
  int retried;         /* the checks failed once and the unit was translated again */
  int kept_source;     /* no usable translation: the source text was kept */
  size_t n_problems;   /* unresolved problems: hymt_result_problem */
} hymt_segment;

/* Segment i into *out; strings owned by the result. */
HYMT_API hymt_status hymt_result_segment(const hymt_result* result, size_t i, hymt_segment* out);
/* Problem j (< n_problems) of segment i: *code ("wrong_language", "echo", "lost_placeholder", ...)
 * and *message (may be NULL), owned by the result. */
HYMT_API hymt_status hymt_result_problem(const hymt_result* result, size_t i, size_t j, const char** code,
                                         const char** message);
/* NULL is ignored. */
HYMT_API void hymt_result_free(hymt_result* result);

#ifdef __cplusplus
}
#endif

#endif /* HYMT_HYMT_H */
