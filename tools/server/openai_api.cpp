// openai_api.cpp: POST /v1/chat/completions, POST /v1/completions, GET /v1/models, the OpenAI way:
// request fields and their ranges, responses and streamed chunks (SSE "data:" lines ending with
// "data: [DONE]"), usage with prompt_tokens_details.cached_tokens, logprobs, OpenAI error objects.
// Chat messages are rendered with the model's own chat template (tokenizer/chat_template.cpp).
//
// Departures, documented in docs/server.md: temperature defaults to 0 (greedy, hymt's translation
// default) rather than OpenAI's 1; n must be 1; presence/frequency penalties must be 0 (HF's
// repetition penalty is offered as repeat_penalty); llama-server's ignore_eos and cache_prompt are
// accepted, and loop_guard turns hymt's n-gram loop guard on.
#include "openai_api.h"

#include <chrono>
#include <ctime>

#include "api_error.h"
#include "generation.h"
#include "json_fields.h"
#include "runtime/scheduler.h"
#include "runtime/stop_ids.h"

namespace hymt::server {

namespace {

std::atomic<uint64_t> g_next_id{1};

int64_t unix_now() { return static_cast<int64_t>(std::time(nullptr)); }

enum class Kind { kChat, kText };

struct Parsed {
  Request rq;
  std::vector<std::string> stops;
  bool stream = false, include_usage = false;
  bool logprobs = false;
  int top_logprobs = 0;
};

// Sampling, budget, stops and logprobs: the fields both endpoints share.
void parse_common(const json& b, const Service& svc, Kind kind, Parsed* p) {
  if (auto n = get_int(b, "n", 1, 1 << 20); n && *n != 1) bad_field("n", "must be 1 (one choice per request)");
  for (const char* f : {"presence_penalty", "frequency_penalty"})
    if (auto v = get_number(b, f, -2, 2); v && *v != 0)
      bad_field(f, "is not supported (use repeat_penalty, a Hugging Face repetition penalty)");
  if (kind == Kind::kText) {
    if (auto e = get_bool(b, "echo"); e && *e) bad_field("echo", "is not supported");
    if (b.contains("suffix") && !b["suffix"].is_null()) bad_field("suffix", "is not supported");
    if (auto bo = get_int(b, "best_of", 1, 1 << 20); bo && *bo != 1) bad_field("best_of", "must be 1");
  }
  SamplingParams sp;
  sp.loop_guard = false;  // plain sampling, as OpenAI clients expect; loop_guard: true turns it on
  read_sampling_fields(b, &sp);
  p->rq.sampling = sp;

  const int64_t n_ctx = svc.opt.n_ctx;
  p->rq.n_ctx = n_ctx;
  p->rq.max_new_tokens = n_ctx;  // cut by the engine to what the context leaves
  for (const char* f : {"max_tokens", "max_completion_tokens"})
    if (auto v = get_int(b, f, 1, n_ctx)) p->rq.max_new_tokens = *v;

  if (b.contains("stop") && !b["stop"].is_null()) {
    auto s = get_strings(b, "stop");
    if (s->size() > 16) bad_field("stop", "may hold at most 16 strings");
    for (const std::string& x : *s)
      if (x.empty()) bad_field("stop", "must not hold an empty string");
    p->stops = *s;
  }
  p->stream = get_bool(b, "stream").value_or(false);
  if (auto it = b.find("stream_options"); it != b.end() && !it->is_null()) {
    if (!it->is_object()) bad_field("stream_options", "must be an object");
    p->include_usage = get_bool(*it, "include_usage").value_or(false);
  }
  if (kind == Kind::kChat) {
    p->logprobs = get_bool(b, "logprobs").value_or(false);
    if (auto v = get_int(b, "top_logprobs", 0, 20)) {
      if (!p->logprobs && *v > 0) bad_field("top_logprobs", "needs logprobs: true");
      p->top_logprobs = static_cast<int>(*v);
    }
  } else if (b.contains("logprobs") && !b["logprobs"].is_null()) {
    auto v = get_int(b, "logprobs", 0, 20);
    p->logprobs = true;
    p->top_logprobs = static_cast<int>(*v);
  }
  // A log-softmax over the whole vocabulary per token: only when asked for (at 8 sequences a step
  // it is about 5% of a 1.8B model's step on 2 cores).
  p->rq.logprobs = p->logprobs;
  p->rq.top_logprobs = p->top_logprobs;
  p->rq.prefix_cache = get_bool(b, "cache_prompt").value_or(true);
  const bool ignore_eos = get_bool(b, "ignore_eos").value_or(false);
  if (!ignore_eos) p->rq.stop_ids = default_stop_ids(svc.engine()->model());
}

// One chat message's content: a string, or an array of {"type": "text", "text": ...} parts.
std::string message_content(const json& m, size_t i) {
  const std::string where = "messages[" + std::to_string(i) + "].content";
  auto it = m.find("content");
  if (it == m.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (!it->is_array()) bad_field(where, "must be a string or an array of text parts");
  std::string out;
  for (const json& part : *it) {
    if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") || !part["text"].is_string())
      bad_field(where, "parts must be {\"type\": \"text\", \"text\": \"...\"} (this model reads text only)");
    out += part["text"].get<std::string>();
  }
  return out;
}

std::vector<ChatMessage> parse_messages(const json& b) {
  auto it = b.find("messages");
  if (it == b.end()) bad_field("messages", "is required");
  if (!it->is_array() || it->empty()) bad_field("messages", "must be a non-empty array");
  std::vector<ChatMessage> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& m = (*it)[i];
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) bad_field(where, "must be an object");
    auto role = get_string(m, "role");
    if (!role) bad_field(where + ".role", "is required");
    std::string r = *role;
    if (r == "developer") r = "system";
    if (r != "system" && r != "user" && r != "assistant")
      bad_field(where + ".role", "must be system, developer, user or assistant, not '" + *role + "'");
    out.push_back({r, message_content(m, i)});
  }
  return out;
}

json token_logprob_json(const Tokenizer& tok, int32_t id, double lp) {
  const std::string bytes = tok.token_bytes(id);
  json b = json::array();
  for (unsigned char c : bytes) b.push_back(c);
  return {{"token", bytes}, {"logprob", lp}, {"bytes", b}};
}

// Chat: {"content": [{token, logprob, bytes, top_logprobs: [...]}, ...]}.
json chat_logprobs(const Tokenizer& tok, const std::vector<GenToken>& ts) {
  json content = json::array();
  for (const GenToken& t : ts) {
    json e = token_logprob_json(tok, t.id, t.logprob);
    json top = json::array();
    for (const TokenLogprob& a : t.top) top.push_back(token_logprob_json(tok, a.id, a.logprob));
    e["top_logprobs"] = top;
    content.push_back(e);
  }
  return {{"content", content}, {"refusal", nullptr}};
}

// Completions: {tokens, token_logprobs, top_logprobs: [{token: lp}], text_offset}.
json text_logprobs(const Tokenizer& tok, const std::vector<GenToken>& ts, size_t offset) {
  json tokens = json::array(), lps = json::array(), tops = json::array(), offs = json::array();
  for (const GenToken& t : ts) {
    const std::string s = tok.token_bytes(t.id);
    tokens.push_back(s);
    lps.push_back(t.logprob);
    json top = json::object();
    for (const TokenLogprob& a : t.top) top[tok.token_bytes(a.id)] = a.logprob;
    tops.push_back(top);
    offs.push_back(offset);
    // Offsets count characters (code points), as OpenAI's do: every byte that does not continue a
    // UTF-8 sequence starts one.
    for (unsigned char ch : s) offset += (ch & 0xC0) != 0x80;
  }
  return {{"tokens", tokens}, {"token_logprobs", lps}, {"top_logprobs", tops}, {"text_offset", offs}};
}

json usage_json(const RequestResult& r) {
  const int64_t gen = static_cast<int64_t>(r.ids.size());
  return {{"prompt_tokens", r.n_prompt},
          {"completion_tokens", gen},
          {"total_tokens", r.n_prompt + gen},
          {"prompt_tokens_details", {{"cached_tokens", r.n_cached}}}};
}

json timings_json(const RequestResult& r) {
  return {{"queue_ms", r.t.queue_ms},     {"prefill_ms", r.t.prefill_ms}, {"decode_ms", r.t.decode_ms},
          {"ttft_ms", r.t.ttft_ms},       {"total_ms", r.t.total_ms},     {"cached_tokens", r.n_cached},
          {"stop", stop_reason_name(r.stop)}};
}

struct Job {
  Kind kind;
  std::string id, model;
  int64_t created;
  Parsed p;
  std::shared_ptr<Generation> gen;
  std::shared_ptr<Admission> admission;
  double deadline_ms;
  const Tokenizer* tok;
  Service* svc;
};

// A chunk or the whole response's choice for the text so far.
json choice_json(const Job& j, const std::string& text, const std::vector<GenToken>& ts, size_t text_offset,
                 bool delta, const json& finish) {
  json c = {{"index", 0}, {"finish_reason", finish}};
  if (j.kind == Kind::kChat) {
    c[delta ? "delta" : "message"] = delta ? json{{"content", text}} : json{{"role", "assistant"}, {"content", text}};
    c["logprobs"] = j.p.logprobs ? chat_logprobs(*j.tok, ts) : json();
  } else {
    c["text"] = text;
    c["logprobs"] = j.p.logprobs ? text_logprobs(*j.tok, ts, text_offset) : json();
  }
  return c;
}

json envelope(const Job& j, bool chunk) {
  return {{"id", j.id},
          {"object", j.kind == Kind::kChat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion"},
          {"created", j.created},
          {"model", j.model},
          {"system_fingerprint", "hymt"}};
}

void account(Job& j, Call* call) {
  if (!j.gen->done()) return;  // a stream whose client left: the engine answers later
  const Result<RequestResult>& r = j.gen->result();
  if (!r.ok()) return;
  if (call) {
    call->prompt_tokens = r->n_prompt;
    call->completion_tokens = static_cast<int64_t>(r->ids.size());
    call->cached_tokens = r->n_cached;
  }
  if (!r->ids.empty()) j.svc->metrics.ttft(r->t.ttft_ms);
}

void respond_whole(Job& j, httplib::Response& res, Call& call) {
  std::vector<GenToken> ts;
  bool timed_out = false;
  GenChunk c;
  for (;;) {
    const bool more = j.gen->take(&c, timed_out ? steady_ms() + 60000 : j.deadline_ms);
    ts.insert(ts.end(), std::make_move_iterator(c.tokens.begin()), std::make_move_iterator(c.tokens.end()));
    if (!more) break;
    if (!timed_out && steady_ms() >= j.deadline_ms) {
      timed_out = true;
      j.gen->cancel();
    }
  }
  account(j, &call);
  const Result<RequestResult>& r = j.gen->result();
  if (!r.ok()) throw_status(r.status());
  if (timed_out) throw ApiError(504, "the request took longer than the server's --timeout", "", "timeout");
  if (r->stop == StopReason::kCancelled && !j.gen->hit_stop_string())
    throw ApiError(503, "the request was cancelled (the server is shutting down)", "", "cancelled");
  json out = envelope(j, false);
  out["choices"] = json::array({choice_json(j, j.gen->text(), ts, 0, false, j.gen->finish_reason())});
  out["usage"] = usage_json(*r);
  out["timings"] = timings_json(*r);
  res.status = 200;
  res.set_content(dump(out), "application/json");
}

bool send(httplib::DataSink& sink, const std::string& s) { return sink.write(s.data(), s.size()); }
bool send_data(httplib::DataSink& sink, const json& j) { return send(sink, "data: " + dump(j) + "\n\n"); }

// Streams the job; runs on the HTTP worker after the headers are sent. A failed write means the
// client is gone: the generation is cancelled and its slot is free at the engine's next step. With
// nothing to send for a second, an SSE comment goes out, so a vanished client is noticed then too.
bool pump_stream(Job& j, httplib::DataSink& sink) {
  if (j.kind == Kind::kChat) {
    json first = envelope(j, true);
    first["choices"] = json::array(
        {{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", ""}}}, {"logprobs", nullptr}, {"finish_reason", nullptr}}});
    if (!send_data(sink, first)) return j.gen->cancel(), false;
  }
  size_t offset = 0;
  bool timed_out = false;
  GenChunk c;
  for (;;) {
    const double wake = std::min(steady_ms() + 1000.0, timed_out ? steady_ms() + 60000 : j.deadline_ms);
    const bool more = j.gen->take(&c, wake);
    if (!c.text.empty() || !c.tokens.empty()) {
      json ch = envelope(j, true);
      ch["choices"] = json::array({choice_json(j, c.text, c.tokens, offset, true, nullptr)});
      for (unsigned char x : c.text) offset += (x & 0xC0) != 0x80;
      if (!send_data(sink, ch)) return j.gen->cancel(), false;
    } else if (more && !send(sink, ": keep-alive\n\n")) {
      return j.gen->cancel(), false;
    }
    if (!more) break;
    if (!timed_out && steady_ms() >= j.deadline_ms) {
      timed_out = true;
      j.gen->cancel();
    }
  }
  account(j, nullptr);
  const Result<RequestResult>& r = j.gen->result();
  if (!r.ok() || timed_out) {
    const std::string msg = timed_out ? "the request took longer than the server's --timeout" : r.status().message();
    send_data(sink, {{"error", {{"message", msg}, {"type", timed_out ? "timeout_error" : "server_error"}}}});
  } else {
    json last = envelope(j, true);
    const std::string fr = j.gen->finish_reason();
    last["choices"] = json::array({choice_json(j, "", {}, offset, true, fr == "cancelled" ? "stop" : fr)});
    if (j.kind == Kind::kChat) last["choices"][0]["delta"] = json::object();
    last["usage"] = usage_json(*r);  // llama-server does the same; clients ignore what they do not read
    last["timings"] = timings_json(*r);
    if (!send_data(sink, last)) return false;
    if (j.p.include_usage) {
      json u = envelope(j, true);
      u["choices"] = json::array();
      u["usage"] = usage_json(*r);
      if (!send_data(sink, u)) return false;
    }
  }
  if (!send(sink, "data: [DONE]\n\n")) return false;
  sink.done();
  return true;
}

void handle_completion(Service& svc, Kind kind, const httplib::Request& req, httplib::Response& res, Call& call) {
  const json b = parse_json_object(req.body);
  const Tokenizer* tok = svc.engine()->tokenizer();
  if (!tok) throw ApiError(500, "the model file has no vocabulary");
  auto job = std::make_shared<Job>();
  job->kind = kind;
  job->id = std::string(kind == Kind::kChat ? "chatcmpl-" : "cmpl-") + std::to_string(g_next_id++);
  job->model = svc.model_id;
  job->created = unix_now();
  job->tok = tok;
  job->svc = &svc;
  (void)get_string(b, "model");  // type-checked only: any name is answered by the loaded model
  if (kind == Kind::kChat) {
    auto ids = tok->encode_chat(parse_messages(b));
    if (!ids.ok()) throw_status(ids.status(), "messages");
    job->p.rq.prompt = std::move(ids).value();
  } else {
    auto it = b.find("prompt");
    if (it == b.end() || it->is_null()) bad_field("prompt", "is required");
    if (it->is_string()) {
      job->p.rq.prompt = tok->encode(it->get<std::string>(), true);
    } else if (it->is_array() && !it->empty() && (*it)[0].is_number_integer()) {
      for (const json& v : *it) {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() >= tok->n_vocab())
          bad_field("prompt", "token ids must be integers in [0, " + std::to_string(tok->n_vocab()) + ")");
        job->p.rq.prompt.push_back(static_cast<int32_t>(v.get<int64_t>()));
      }
    } else if (it->is_array() && it->size() == 1 && (*it)[0].is_string()) {
      job->p.rq.prompt = tok->encode((*it)[0].get<std::string>(), true);
    } else {
      bad_field("prompt", "must be a string, an array of one string, or an array of token ids");
    }
  }
  parse_common(b, svc, kind, &job->p);
  const int64_t n_prompt = static_cast<int64_t>(job->p.rq.prompt.size());
  if (n_prompt == 0) bad_field(kind == Kind::kChat ? "messages" : "prompt", "is empty");
  if (n_prompt >= svc.opt.n_ctx)
    throw ApiError(400,
                   "the prompt has " + std::to_string(n_prompt) + " tokens; this server's context is " +
                       std::to_string(svc.opt.n_ctx) + " (--n-ctx)",
                   kind == Kind::kChat ? "messages" : "prompt", "context_length_exceeded");
  job->p.rq.tag = job->id;
  job->p.rq.cancel = call.admission->cancel();
  job->admission = call.admission;
  job->deadline_ms = call.admission->deadline_ms();
  job->gen = Generation::start(*svc.engine(), std::move(job->p.rq), job->p.stops);

  if (!job->p.stream) return respond_whole(*job, res, call);
  Call* log_call = &call;  // this worker's log record: the provider runs on the same thread
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      // Exactly this type: httplib compresses any other text/* response for a client that accepts gzip,
      // and a compressor holds the events back until its buffer fills.
      "text/event-stream",
      [job, log_call](size_t, httplib::DataSink& sink) {
        const bool ok = pump_stream(*job, sink);
        account(*job, log_call);
        return ok;
      },
      [job](bool) { job->gen->cancel(); });  // the response is gone: stop generating, if not done
}

json model_json(Service& svc) {
  json m = {{"id", svc.model_id}, {"object", "model"}, {"created", unix_now()}, {"owned_by", "hymt"}};
  if (Engine* e = svc.engine()) {
    const Model& model = e->model();
    m["meta"] = {{"n_ctx", svc.opt.n_ctx}, {"n_vocab", e->tokenizer() ? e->tokenizer()->n_vocab() : 0},
                 {"n_layer", model.hparams().n_layer}, {"n_embd", model.hparams().n_embd},
                 {"demo_model", svc.opt.demo_model}};
  }
  return m;
}

void handle_models(Service& svc, httplib::Response& res) {
  res.set_content(dump({{"object", "list"}, {"data", json::array({model_json(svc)})}}), "application/json");
}

// GET /v1/models/{id}: the served model, or 404 for any other name.
void handle_model(Service& svc, const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.path.substr(std::string("/v1/models/").size());
  if (id != svc.model_id)
    throw ApiError(404, "the model '" + id + "' does not exist; this server serves '" + svc.model_id + "'", "model",
                   "model_not_found");
  res.set_content(dump(model_json(svc)), "application/json");
}

}  // namespace

void add_openai_routes(HttpServer& http, Service& svc) {
  Service* s = &svc;
  http.add({"POST", "/v1/chat/completions", Dialect::kOpenAI, true, true,
            [s](const httplib::Request& q, httplib::Response& r, Call& c) { handle_completion(*s, Kind::kChat, q, r, c); }});
  http.add({"POST", "/v1/completions", Dialect::kOpenAI, true, true,
            [s](const httplib::Request& q, httplib::Response& r, Call& c) { handle_completion(*s, Kind::kText, q, r, c); }});
  http.add({"GET", "/v1/models", Dialect::kOpenAI, false, true,
            [s](const httplib::Request&, httplib::Response& r, Call&) { handle_models(*s, r); }});
  http.add({"GET", "/v1/models/", Dialect::kOpenAI, false, true,
            [s](const httplib::Request& q, httplib::Response& r, Call&) { handle_model(*s, q, r); }, true});
}

}  // namespace hymt::server
