/* capi_test.c: the C API from a C program (C99 + pthreads), as an app would use it.
 *
 *   capi_test --model GGUF --cases FILE --out FILE [--threads N] [--tmp DIR]
 *       translates every case (lines "src<TAB>tgt<TAB>text") on one thread and writes the outputs,
 *       one per line, to --out (tests/capi/capi_test.py compares them with `hymt translate`); then
 *       checks, exiting 1 on any failure: N threads with a translator each on the one model give the
 *       same outputs; a call cancelled from another thread and by a callback ends with
 *       HYMT_ERR_CANCELLED; a second call on a busy translator is refused; streamed pieces
 *       concatenate to the output; an older, shorter params struct still works; every error path
 *       (NULLs, unknown language and format, empty text, malformed document, missing and corrupt
 *       model files, small buffers) returns its status and a message; hymt_translate_file writes
 *       atomically and leaves an existing output untouched on failure.
 *   capi_test --model GGUF --tokenize TEXT
 *       prints the ids of TEXT, comma-separated, and checks that they decode back to TEXT.
 */
#define _POSIX_C_SOURCE 200809L
#include <hymt/hymt.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_failures = 0;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fprintf(stderr, "\n");                               \
      ++g_failures;                                        \
    }                                                      \
  } while (0)

#define CHECK_STATUS(expr, want)                                                                        \
  do {                                                                                                  \
    hymt_status got_ = (expr);                                                                          \
    CHECK(got_ == (want), "%s: got %s (%s), want %s", #expr, hymt_status_name(got_), hymt_last_error(), \
          hymt_status_name(want));                                                                      \
    if (got_ != HYMT_OK) CHECK(hymt_last_error()[0] != '\0', "%s: no error message", #expr);            \
  } while (0)

typedef struct {
  char src[16], tgt[16];
  char* text;
} test_case;

static char* dup_range(const char* s, size_t n) {
  char* p = (char*)malloc(n + 1);
  if (!p) exit(2);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static size_t read_cases(const char* path, test_case** out) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  size_t n = 0, cap = 0;
  test_case* v = NULL;
  char line[65536];
  while (fgets(line, sizeof line, f)) {
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    char* t1 = strchr(line, '\t');
    char* t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      v = (test_case*)realloc(v, cap * sizeof *v);
      if (!v) exit(2);
    }
    snprintf(v[n].src, sizeof v[n].src, "%.*s", (int)(t1 - line), line);
    snprintf(v[n].tgt, sizeof v[n].tgt, "%.*s", (int)(t2 - t1 - 1), t1 + 1);
    v[n].text = dup_range(t2 + 1, strlen(t2 + 1));
    ++n;
  }
  fclose(f);
  *out = v;
  return n;
}

/* Translates one text; returns a malloc'ed output or NULL (status in *st). */
static char* translate_one(hymt_translator* t, const char* src, const char* tgt, const char* text, hymt_status* st) {
  hymt_translate_params p;
  hymt_translate_params_init(&p, sizeof p);
  p.source_lang = src;
  p.target_lang = tgt;
  hymt_result* r = NULL;
  *st = hymt_translate(t, text, strlen(text), &p, &r);
  if (*st != HYMT_OK) return NULL;
  const char* out = NULL;
  size_t len = 0;
  hymt_result_output(r, &out, &len);
  char* copy = dup_range(out, len);
  hymt_result_free(r);
  return copy;
}

/* ---- threads sharing one model ---- */

typedef struct {
  hymt_model* model;
  test_case* cases;
  size_t n, offset;
  char** outputs;
  int failed;
} worker_arg;

static void* worker(void* p) {
  worker_arg* a = (worker_arg*)p;
  hymt_translator* t = NULL;
  if (hymt_translator_new(a->model, &t) != HYMT_OK) {
    a->failed = 1;
    return NULL;
  }
  for (size_t k = 0; k < a->n; ++k) {
    size_t i = (k + a->offset) % a->n; /* each thread in its own order */
    hymt_status st;
    a->outputs[i] = translate_one(t, a->cases[i].src, a->cases[i].tgt, a->cases[i].text, &st);
    if (!a->outputs[i]) a->failed = 1;
  }
  hymt_translator_free(t);
  return NULL;
}

/* ---- streaming, cancellation, busy ---- */

typedef struct {
  char buf[1 << 16];
  size_t len;
  int pieces;
  int stop_after; /* the callback returns non-zero after this many pieces (0: never) */
  hymt_translator* self;
  hymt_status reentrant; /* what a call on the same translator from inside the callback got */
  int started;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} stream_state;

static int on_text(const char* text, size_t len, void* user) {
  stream_state* s = (stream_state*)user;
  if (s->len + len < sizeof s->buf) {
    memcpy(s->buf + s->len, text, len);
    s->len += len;
  }
  ++s->pieces;
  if (s->self && s->pieces == 1) {
    hymt_translate_params p;
    hymt_translate_params_init(&p, sizeof p);
    p.target_lang = "fr";
    hymt_result* r = NULL;
    s->reentrant = hymt_translate(s->self, "Hello.", 6, &p, &r);
    hymt_result_free(r);
  }
  pthread_mutex_lock(&s->mu);
  s->started = 1;
  pthread_cond_signal(&s->cv);
  pthread_mutex_unlock(&s->mu);
  return s->stop_after > 0 && s->pieces >= s->stop_after;
}

static int cancel_always(const char* text, size_t len, void* user) {
  (void)text, (void)len, (void)user;
  return 1;
}

typedef struct {
  int count, seen[2], bad_index;
  char last[65536];
} segment_log;

static int on_segment(size_t index, const char* text, size_t len, void* user) {
  segment_log* s = (segment_log*)user;
  if (index < 2)
    ++s->seen[index];
  else
    s->bad_index = 1;
  ++s->count;
  snprintf(s->last, sizeof s->last, "%.*s", (int)len, text);
  return 0;
}

static int on_restart(void* user) {
  stream_state* s = (stream_state*)user;
  s->len = 0;
  return 0;
}

typedef struct {
  hymt_translator* t;
  const char* text;
  const char* src;
  const char* tgt;
  stream_state* s;
  hymt_status status;
} stream_arg;

static void* stream_worker(void* p) {
  stream_arg* a = (stream_arg*)p;
  hymt_translate_params tp;
  hymt_translate_params_init(&tp, sizeof tp);
  tp.source_lang = a->src;
  tp.target_lang = a->tgt;
  tp.on_text = on_text;
  tp.on_restart = on_restart;
  tp.user_data = a->s;
  hymt_result* r = NULL;
  a->status = hymt_translate(a->t, a->text, strlen(a->text), &tp, &r);
  CHECK((a->status == HYMT_OK) == (r != NULL), "result set exactly when the call succeeds");
  hymt_result_free(r);
  return NULL;
}

static void stream_init(stream_state* s) {
  memset(s, 0, sizeof *s);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
}

static int write_bytes(const char* path, const char* data, size_t n) {
  FILE* f = fopen(path, "wb");
  if (!f) return 0;
  size_t w = fwrite(data, 1, n, f);
  return fclose(f) == 0 && w == n;
}

static char* read_all(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  return dup_range(buf, n);
}

static void check_errors(hymt_model* model, hymt_translator* t, const char* tmp) {
  hymt_model* m = NULL;
  hymt_result* r = NULL;
  hymt_translate_params p;
  hymt_translate_params_init(&p, sizeof p);
  char path[4096];

  /* Models. */
  CHECK_STATUS(hymt_model_load(NULL, NULL, &m), HYMT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(hymt_model_load("/nonexistent/model.gguf", NULL, &m), HYMT_ERR_NOT_FOUND);
  CHECK(m == NULL, "no model on failure");
  snprintf(path, sizeof path, "%s/corrupt.gguf", tmp);
  CHECK(write_bytes(path, "GGUF\3\0\0\0garbage that is no tensor table", 40), "write %s", path);
  hymt_status st = hymt_model_load(path, NULL, &m);
  CHECK(st == HYMT_ERR_CORRUPT_FILE || st == HYMT_ERR_UNSUPPORTED, "corrupt model: got %s (%s)", hymt_status_name(st),
        hymt_last_error());
  CHECK(m == NULL, "no model on failure");
  hymt_model_params mp;
  hymt_model_params_init(&mp, sizeof mp);
  mp.n_ctx = 0;
  CHECK_STATUS(hymt_model_load(path, &mp, &m), HYMT_ERR_INVALID_ARGUMENT);
  hymt_model_params_init(&mp, sizeof mp);
  mp.struct_size = 0;
  CHECK_STATUS(hymt_model_load(path, &mp, &m), HYMT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(hymt_translator_new(NULL, &t), HYMT_ERR_INVALID_ARGUMENT);

  /* Translation arguments. */
  hymt_translator* t2 = NULL;
  CHECK_STATUS(hymt_translator_new(model, &t2), HYMT_OK);
  CHECK_STATUS(hymt_translate(NULL, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, NULL, &r), HYMT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT); /* no target */
  p.target_lang = "klingon";
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  CHECK(strstr(hymt_last_error(), "klingon") != NULL, "the message names the language: %s", hymt_last_error());
  p.target_lang = "fr";
  p.source_lang = "elvish";
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.source_lang = NULL;
  p.format = "docx";
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.format = "json";
  CHECK_STATUS(hymt_translate(t2, "{\"a\": \"Hello", 12, &p, &r), HYMT_ERR_CORRUPT_FILE);
  p.format = NULL;
  CHECK_STATUS(hymt_translate(t2, "  \n ", 4, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(hymt_translate(t2, NULL, 3, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.sampling = "creative";
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.sampling = NULL;
  p.top_p = 2.0f;
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.top_p = -1;
  p.n_glossary = 2;
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.n_glossary = 0;
  p.glossary_file = "/nonexistent/terms.tsv";
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_NOT_FOUND);
  p.glossary_file = NULL;
  p.style = "formal"; /* a Hy-MT2 instruction; the demo model is HY-MT1.5 */
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.style = NULL;
  p.n_preferences = 1;
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.n_preferences = 0;
  p.prompt_family = "hy-mt3";
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  p.prompt_family = NULL;
  p.struct_size = 3;
  CHECK_STATUS(hymt_translate(t2, "Hi", 2, &p, &r), HYMT_ERR_INVALID_ARGUMENT);
  CHECK(r == NULL, "no result on failure");

  /* Files: a failure leaves an existing output as it was; success replaces it atomically. */
  hymt_translate_params_init(&p, sizeof p);
  p.target_lang = "zh";
  p.source_lang = "en";
  char in[4096], out[4096];
  snprintf(in, sizeof in, "%s/in.srt", tmp);
  snprintf(out, sizeof out, "%s/out.srt", tmp);
  CHECK(write_bytes(out, "old", 3), "write %s", out);
  CHECK(write_bytes(in, "1\n00:00:01,000 --> 00:00:02,000\n", 32), "write %s", in);
  CHECK_STATUS(hymt_translate_file(t2, in, out, &p, NULL), HYMT_ERR_INVALID_ARGUMENT); /* nothing to translate */
  char* kept = read_all(out);
  CHECK(kept && strcmp(kept, "old") == 0, "the old output is untouched after a failure");
  free(kept);
  CHECK_STATUS(hymt_translate_file(t2, "/nonexistent/in.txt", out, &p, NULL), HYMT_ERR_NOT_FOUND);
  CHECK_STATUS(hymt_translate_file(t2, in, "", &p, NULL), HYMT_ERR_INVALID_ARGUMENT);
  const char* srt = "1\n00:00:01,000 --> 00:00:02,000\nThe cat sat on the mat.\n";
  CHECK(write_bytes(in, srt, strlen(srt)), "write %s", in);
  CHECK_STATUS(hymt_translate_file(t2, in, out, &p, &r), HYMT_OK);
  char* doc = read_all(out);
  CHECK(doc && strncmp(doc, "1\n00:00:01,000 --> 00:00:02,000\n", 32) == 0, "the cue survives: %s", doc ? doc : "");
  const char* text = NULL;
  CHECK_STATUS(hymt_result_output(r, &text, NULL), HYMT_OK);
  CHECK(doc && text && strcmp(doc, text) == 0, "the file holds the result's output");
  free(doc);
  const char* json = NULL;
  CHECK_STATUS(hymt_result_json(r, &json), HYMT_OK);
  CHECK(json && strstr(json, "\"format\": \"srt\"") != NULL, "the report names the format: %.200s", json ? json : "");
  CHECK(hymt_result_segment_count(r) == 1, "one cue, one segment");
  hymt_segment seg;
  seg.struct_size = sizeof seg;
  CHECK_STATUS(hymt_result_segment(r, 0, &seg), HYMT_OK);
  CHECK(seg.n_output_tokens > 0 && seg.where && seg.where[0], "segment report filled");
  CHECK(strcmp(seg.source_lang, "en") == 0, "source language en: %s", seg.source_lang);
  CHECK_STATUS(hymt_result_segment(r, 1, &seg), HYMT_ERR_INVALID_ARGUMENT);
  const char* code = NULL;
  CHECK_STATUS(hymt_result_problem(r, 0, seg.n_problems, &code, NULL), HYMT_ERR_INVALID_ARGUMENT);
  hymt_result_free(r);
  r = NULL;

  /* Results and outputs. */
  CHECK_STATUS(hymt_result_output(NULL, &text, NULL), HYMT_ERR_INVALID_ARGUMENT);
  CHECK(hymt_result_segment_count(NULL) == 0, "no segments in NULL");
  hymt_result_free(NULL);
  hymt_translator_free(NULL);
  hymt_model_free(NULL);
  CHECK_STATUS(hymt_translator_cancel(NULL), HYMT_ERR_INVALID_ARGUMENT);

  /* Tokenizer buffers. */
  int32_t ids[4];
  size_t n = 0;
  const char* hello = "Hello, world! How are you today?";
  CHECK_STATUS(hymt_tokenize(model, hello, strlen(hello), 0, ids, 1, &n), HYMT_ERR_BUFFER_TOO_SMALL);
  CHECK(n > 1, "the count needed is reported (%zu)", n);
  CHECK_STATUS(hymt_tokenize(model, hello, strlen(hello), 0, NULL, 0, &n), HYMT_ERR_BUFFER_TOO_SMALL);
  char small[2];
  int32_t one = 100, bad = 1 << 30;
  size_t len = 0;
  CHECK_STATUS(hymt_detokenize(model, &one, 1, small, 0, &len), HYMT_ERR_BUFFER_TOO_SMALL);
  CHECK_STATUS(hymt_detokenize(model, &bad, 1, small, sizeof small, &len), HYMT_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(hymt_tokenize(NULL, hello, 5, 0, ids, 4, &n), HYMT_ERR_INVALID_ARGUMENT);

  /* Languages. */
  CHECK(hymt_language_count() == 38, "38 languages, got %zu", hymt_language_count());
  hymt_language lang;
  lang.struct_size = sizeof lang;
  CHECK_STATUS(hymt_language_get(0, &lang), HYMT_OK);
  CHECK(lang.code && lang.flores && lang.english && lang.chinese, "language 0 filled");
  CHECK_STATUS(hymt_language_get(38, &lang), HYMT_ERR_INVALID_ARGUMENT);
  const char* c = NULL;
  CHECK_STATUS(hymt_language_find("French", &c), HYMT_OK);
  CHECK(c && strcmp(c, "fr") == 0, "French is fr");
  CHECK_STATUS(hymt_language_find("zh-TW", &c), HYMT_OK);
  CHECK(c && strcmp(c, "zh-Hant") == 0, "zh-TW is zh-Hant: %s", c ? c : "NULL");
  CHECK_STATUS(hymt_language_find("xx-unknown", &c), HYMT_ERR_INVALID_ARGUMENT);
  double conf = -1;
  CHECK_STATUS(hymt_detect_language("Der Hund läuft schnell über die Straße.",
                                    strlen("Der Hund läuft schnell über die Straße."), &c, &conf),
               HYMT_OK);
  CHECK(c && strcmp(c, "de") == 0 && conf > 0 && conf <= 1, "German detected: %s %f", c ? c : "NULL", conf);
  CHECK_STATUS(hymt_detect_language("12345 !!", 8, &c, &conf), HYMT_OK);
  CHECK(c == NULL && conf == 0, "no letters: no language");

  hymt_model_info info;
  info.struct_size = sizeof info;
  CHECK_STATUS(hymt_model_get_info(model, &info), HYMT_OK);
  CHECK(info.n_vocab > 0 && info.n_layer > 0 && strcmp(info.family, "hy-mt1.5") == 0, "model info: %d %d %s",
        info.n_vocab, info.n_layer, info.family);
  CHECK(hymt_api_version() / 1000 == HYMT_API_VERSION_MAJOR, "API major version");
  CHECK(strncmp(hymt_status_name(HYMT_ERR_CANCELLED), "cancelled", 9) == 0, "status names");
  hymt_translator_free(t2);
}

int main(int argc, char** argv) {
  const char *model_path = NULL, *cases_path = NULL, *out_path = NULL, *tokenize = NULL, *tmp = "/tmp";
  int threads = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--model"))
      model_path = argv[i + 1];
    else if (!strcmp(argv[i], "--cases"))
      cases_path = argv[i + 1];
    else if (!strcmp(argv[i], "--out"))
      out_path = argv[i + 1];
    else if (!strcmp(argv[i], "--tokenize"))
      tokenize = argv[i + 1];
    else if (!strcmp(argv[i], "--threads"))
      threads = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--tmp"))
      tmp = argv[i + 1];
  }
  if (!model_path || (!tokenize && (!cases_path || !out_path))) {
    fprintf(stderr, "usage: capi_test --model GGUF (--cases FILE --out FILE | --tokenize TEXT)\n");
    return 2;
  }
  hymt_model_params mp;
  hymt_model_params_init(&mp, sizeof mp);
  hymt_model* model = NULL;
  if (hymt_model_load(model_path, &mp, &model) != HYMT_OK) {
    fprintf(stderr, "cannot load %s: %s\n", model_path, hymt_last_error());
    return 1;
  }

  if (tokenize) {
    size_t n = 0;
    hymt_tokenize(model, tokenize, strlen(tokenize), 0, NULL, 0, &n);
    int32_t* ids = (int32_t*)malloc((n ? n : 1) * sizeof *ids);
    CHECK_STATUS(hymt_tokenize(model, tokenize, strlen(tokenize), 0, ids, n, &n), HYMT_OK);
    for (size_t i = 0; i < n; ++i) printf(i ? ",%d" : "%d", ids[i]);
    printf("\n");
    size_t len = 0;
    hymt_detokenize(model, ids, n, NULL, 0, &len);
    char* back = (char*)malloc(len + 1);
    CHECK_STATUS(hymt_detokenize(model, ids, n, back, len + 1, &len), HYMT_OK);
    CHECK(strcmp(back, tokenize) == 0, "detokenize(tokenize(x)) == x: %s", back);
    free(back);
    free(ids);
    hymt_model_free(model);
    return g_failures ? 1 : 0;
  }

  test_case* cases = NULL;
  const size_t n = read_cases(cases_path, &cases);
  CHECK(n > 0, "cases in %s", cases_path);

  /* 1. One thread: the outputs, for the driver to compare with the CLI. */
  hymt_translator* t = NULL;
  CHECK_STATUS(hymt_translator_new(model, &t), HYMT_OK);
  char** single = (char**)calloc(n, sizeof *single);
  FILE* out = fopen(out_path, "wb");
  if (!out) return 2;
  for (size_t i = 0; i < n; ++i) {
    hymt_status st;
    single[i] = translate_one(t, cases[i].src, cases[i].tgt, cases[i].text, &st);
    CHECK(single[i] != NULL, "case %zu: %s (%s)", i, hymt_status_name(st), hymt_last_error());
    /* One line per case: newlines inside an output written as \n. */
    for (const char* p = single[i] ? single[i] : ""; *p; ++p) {
      if (*p == '\n')
        fputs("\\n", out);
      else if (*p == '\\')
        fputs("\\\\", out);
      else
        fputc(*p, out);
    }
    fputc('\n', out);
  }
  fclose(out);

  /* 2. Threads, each with its own translator on the one model, in different orders. */
  pthread_t* th = (pthread_t*)calloc((size_t)threads, sizeof *th);
  worker_arg* args = (worker_arg*)calloc((size_t)threads, sizeof *args);
  for (int k = 0; k < threads; ++k) {
    args[k].model = model;
    args[k].cases = cases;
    args[k].n = n;
    args[k].offset = (size_t)k * n / (size_t)threads;
    args[k].outputs = (char**)calloc(n, sizeof(char*));
    pthread_create(&th[k], NULL, worker, &args[k]);
  }
  for (int k = 0; k < threads; ++k) {
    pthread_join(th[k], NULL);
    CHECK(!args[k].failed, "thread %d failed", k);
    for (size_t i = 0; i < n; ++i) {
      CHECK(single[i] && args[k].outputs[i] && strcmp(single[i], args[k].outputs[i]) == 0,
            "thread %d case %zu differs from one thread: '%s' vs '%s'", k, i,
            args[k].outputs[i] ? args[k].outputs[i] : "", single[i] ? single[i] : "");
      free(args[k].outputs[i]);
    }
    free(args[k].outputs);
  }
  free(th);
  free(args);

  /* 3. Streaming: the pieces concatenate to the output; a call on the same translator from inside
   * a callback is refused as busy. */
  {
    stream_state s;
    stream_init(&s);
    s.self = t;
    stream_arg a = {t, cases[0].text, cases[0].src, cases[0].tgt, &s, HYMT_OK};
    stream_worker(&a);
    CHECK(a.status == HYMT_OK, "streamed call: %s", hymt_status_name(a.status));
    s.buf[s.len] = '\0';
    CHECK(s.pieces > 0 && single[0] && strcmp(s.buf, single[0]) == 0, "streamed '%s' vs '%s'", s.buf,
          single[0] ? single[0] : "");
    CHECK(s.reentrant == HYMT_ERR_BUSY, "a second call on a busy translator: %s", hymt_status_name(s.reentrant));
  }

  /* 4. Cancellation: by a callback's return value, and from another thread. A long text: every
   * case joined, so that the call is still running when it is cancelled. */
  {
    size_t total = 1;
    for (size_t i = 0; i < n; ++i) total += strlen(cases[i].text) + 2;
    char* long_text = (char*)malloc(total);
    long_text[0] = '\0';
    for (size_t i = 0; i < n; ++i)
      if (!strcmp(cases[i].src, cases[0].src)) {
        strcat(long_text, cases[i].text);
        strcat(long_text, "\n\n");
      }

    stream_state s;
    stream_init(&s);
    s.stop_after = 2;
    stream_arg a = {t, long_text, cases[0].src, cases[0].tgt, &s, HYMT_OK};
    stream_worker(&a);
    CHECK(a.status == HYMT_ERR_CANCELLED, "callback cancel: %s", hymt_status_name(a.status));

    stream_state s2;
    stream_init(&s2);
    stream_arg b = {t, long_text, cases[0].src, cases[0].tgt, &s2, HYMT_OK};
    pthread_t w;
    pthread_create(&w, NULL, stream_worker, &b);
    pthread_mutex_lock(&s2.mu);
    while (!s2.started) pthread_cond_wait(&s2.cv, &s2.mu);
    pthread_mutex_unlock(&s2.mu);
    CHECK_STATUS(hymt_translator_cancel(t), HYMT_OK);
    pthread_join(w, NULL);
    CHECK(b.status == HYMT_ERR_CANCELLED, "cancel from another thread: %s", hymt_status_name(b.status));
    free(long_text);

    /* The translator works again after a cancelled call, with the same output. */
    hymt_status st;
    char* again = translate_one(t, cases[0].src, cases[0].tgt, cases[0].text, &st);
    CHECK(again && single[0] && strcmp(again, single[0]) == 0, "after cancel: '%s'", again ? again : "");
    free(again);
  }

  /* 4b. on_segment: once per unit of a document (in the order they finish), with the unit's first
   * translation. */
  if (n >= 2) {
    char two[65536];
    snprintf(two, sizeof two, "%s\n\n%s\n", cases[0].text, cases[0].text);
    hymt_translate_params p;
    hymt_translate_params_init(&p, sizeof p);
    p.source_lang = cases[0].src;
    p.target_lang = cases[0].tgt;
    p.on_segment = on_segment;
    segment_log log;
    memset(&log, 0, sizeof log);
    p.user_data = &log;
    hymt_result* r = NULL;
    CHECK_STATUS(hymt_translate(t, two, strlen(two), &p, &r), HYMT_OK);
    CHECK(hymt_result_segment_count(r) == 2 && log.count == 2, "two paragraphs: %zu segments, %d callbacks",
          hymt_result_segment_count(r), log.count);
    CHECK(log.seen[0] == 1 && log.seen[1] == 1 && !log.bad_index, "on_segment once per unit");
    CHECK(single[0] && strcmp(log.last, single[0]) == 0, "on_segment text '%s'", log.last);
    hymt_result_free(r);
  }

  /* 5. An older, shorter params struct (without the callbacks): init writes only its bytes, and the
   * call reads only those, with defaults for the rest. */
  {
    hymt_translate_params p;
    p.on_text = cancel_always; /* beyond the old struct: must be neither written nor read */
    CHECK_STATUS(hymt_translate_params_init(&p, offsetof(hymt_translate_params, on_text)), HYMT_OK);
    CHECK(p.on_text == cancel_always && p.struct_size == offsetof(hymt_translate_params, on_text),
          "init wrote past the caller's size");
    CHECK_STATUS(hymt_translate_params_init(NULL, sizeof p), HYMT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(hymt_translate_params_init(&p, 2), HYMT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(hymt_model_params_init(NULL, sizeof(hymt_model_params)), HYMT_ERR_INVALID_ARGUMENT);
    p.source_lang = cases[0].src;
    p.target_lang = cases[0].tgt;
    hymt_result* r = NULL;
    CHECK_STATUS(hymt_translate(t, cases[0].text, strlen(cases[0].text), &p, &r), HYMT_OK);
    const char* o = NULL;
    if (r) hymt_result_output(r, &o, NULL);
    CHECK(o && single[0] && strcmp(o, single[0]) == 0, "short struct: '%s'", o ? o : "");
    hymt_result_free(r);
  }

  check_errors(model, t, tmp);

  /* 6. The model may be freed before its translators. */
  hymt_model_free(model);
  {
    hymt_status st;
    char* late = translate_one(t, cases[0].src, cases[0].tgt, cases[0].text, &st);
    CHECK(late && single[0] && strcmp(late, single[0]) == 0, "after hymt_model_free: '%s'", late ? late : "");
    free(late);
  }
  hymt_translator_free(t);
  for (size_t i = 0; i < n; ++i) {
    free(single[i]);
    free(cases[i].text);
  }
  free(single);
  free(cases);
  if (g_failures)
    fprintf(stderr, "capi_test: %d failures\n", g_failures);
  else
    printf("capi_test: all checks passed (%zu cases, %d threads)\n", n, threads);
  return g_failures ? 1 : 0;
}
