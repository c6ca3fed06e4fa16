// http_server.cpp: routing, the checks every route shares, errors and the request log.
//
// Threads: httplib answers each connection on a worker of its pool. A model request blocks its
// worker until the engine has answered it, so the pool has room for every admitted request
// (parallel + max_queue) plus spare workers for /health, /metrics and the 429s: those never wait
// behind a long prefill.
#include "http_server.h"

#include <sys/socket.h>  // listen(): the backlog (bind)

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "api_error.h"
#include "json_fields.h"
#include "runtime/scheduler.h"

namespace hymt::server {

namespace {

// The request being answered on this worker thread: httplib calls the pre-routing handler, the
// route's handler, any streaming content provider and the logger one after another on the same
// thread, so the log line can name the route and the tokens the handler counted.
struct Current {
  Call call;
  double start_ms = 0;
};
thread_local Current t_cur;

const char* reason_type(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 405: return "invalid_request_error";
    case 413: return "invalid_request_error";
    case 429: return "rate_limit_error";
    case 503: return "server_unavailable";
    case 504: return "timeout_error";
    default: return status >= 500 ? "server_error" : "invalid_request_error";
  }
}

std::string json_escape(const std::string& s) { return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

void write_error(httplib::Response& res, Dialect d, int status, const std::string& message, const std::string& param,
                 const std::string& code) {
  res.status = status;
  nlohmann::json j;
  if (d == Dialect::kLibre) {
    j = {{"error", message}};
  } else {
    j = {{"error",
          {{"message", message},
           {"type", reason_type(status)},
           {"param", param.empty() ? nlohmann::json() : nlohmann::json(param)},
           {"code", code.empty() ? nlohmann::json() : nlohmann::json(code)}}}};
  }
  res.set_content(dump(j), "application/json");
}

std::string request_api_key(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
  if (req.has_header("X-API-Key")) return req.get_header_value("X-API-Key");
  if (req.has_param("api_key")) return req.get_param_value("api_key");
  for (const auto& [k, f] : req.files)
    if (k == "api_key") return f.content;
  const size_t first = req.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && req.body[first] == '{') {  // JSON, however it is labelled
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    if (j.is_object() && j.contains("api_key") && j["api_key"].is_string()) return j["api_key"].get<std::string>();
  }
  return "";
}

HttpServer::HttpServer(Service& svc) : svc_(svc) {
  const ServerOptions& o = svc_.opt;
  const size_t workers = static_cast<size_t>(o.parallel + o.max_queue + 8);
  http_.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  http_.set_payload_max_length(o.max_body);
  http_.set_keep_alive_timeout(5);
  // httplib writes a response's headers and body separately; with Nagle's algorithm on, the body
  // then waits for the client's delayed ACK (40 ms per request on Linux, measured in docs/server.md).
  http_.set_tcp_nodelay(true);
  http_.set_read_timeout(30);
  http_.set_write_timeout(30);

  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_cur = Current{};
    t_cur.start_ms = steady_ms();
    if (!svc_.opt.cors.empty()) {
      res.set_header("Access-Control-Allow-Origin", svc_.opt.cors);
      res.set_header("Vary", "Origin");
    }
    std::string allow;
    const Route* r = find(req.method, req.path, &allow);
    if (req.method == "OPTIONS" && !allow.empty()) {  // CORS preflight
      res.status = 204;
      res.set_header("Allow", allow + ", OPTIONS");
      if (!svc_.opt.cors.empty()) {
        res.set_header("Access-Control-Allow-Methods", allow + ", OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key");
        res.set_header("Access-Control-Max-Age", "600");
      }
      t_cur.call.route = req.path;
      return httplib::Server::HandlerResponse::Handled;
    }
    if (r) return httplib::Server::HandlerResponse::Unhandled;
    const Dialect d = req.path.rfind("/v1/", 0) == 0 ? Dialect::kOpenAI : Dialect::kLibre;
    if (allow.empty()) {
      t_cur.call.route = "unknown";
      write_error(res, d, 404, "no route " + req.method + " " + req.path, "", "not_found");
    } else {
      t_cur.call.route = req.path;
      res.set_header("Allow", allow);
      write_error(res, d, 405, "method " + req.method + " is not allowed on " + req.path + " (allowed: " + allow + ")",
                  "", "method_not_allowed");
    }
    return httplib::Server::HandlerResponse::Handled;
  });
  // Errors httplib produces itself (413 body too large, 400 malformed request line...) get a body.
  http_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const Dialect d = req.path.rfind("/v1/", 0) == 0 ? Dialect::kOpenAI : Dialect::kLibre;
    const int st = res.status;
    std::string msg = "HTTP error " + std::to_string(st);
    if (st == 413) msg = "the request body is larger than the server's limit (--max-body)";
    if (st == 400) msg = "malformed HTTP request";
    if (st == 414) msg = "the request line is too long";
    write_error(res, d, st, msg);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http_.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string msg = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      msg = e.what();
    } catch (...) {
    }
    write_error(res, req.path.rfind("/v1/", 0) == 0 ? Dialect::kOpenAI : Dialect::kLibre, 500, msg);
  });
  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log(req, res); });
}

void HttpServer::add(Route r) { routes_.push_back(std::move(r)); }

const Route* HttpServer::find(const std::string& method, const std::string& path, std::string* allow) const {
  const Route* hit = nullptr;
  for (const Route& r : routes_) {
    const bool match = r.prefix ? path.rfind(r.path, 0) == 0 && path.size() > r.path.size() : path == r.path;
    if (!match) continue;
    if (allow->find(r.method) == std::string::npos) *allow += (allow->empty() ? "" : ", ") + r.method;
    if (r.method == method || (r.method == "GET" && method == "HEAD")) hit = &r;
  }
  return hit;
}

int HttpServer::bind() {
  // Every route is dispatched through one handler per method, so that routing, 404 and 405 are
  // decided in one place (find()).
  auto entry = [this](const httplib::Request& req, httplib::Response& res) {
    std::string allow;
    const Route* r = find(req.method, req.path, &allow);
    if (r) dispatch(*r, req, res);
  };
  http_.Get(".*", entry);
  http_.Post(".*", entry);
  // httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's shared
  // library). The clients of a batch finish in the same step and reconnect together, while the
  // compute threads hold both cores of a small machine: the accept thread fell behind, a sixth SYN
  // was dropped and its client waited the kernel's 1 s retransmission (one request per 8-client
  // level of scripts/bench-serve, about 12 % of the level's wall time; TcpExtListenOverflows).
  // listen() again on the bound socket only raises the backlog (Linux and the BSDs allow it).
  socket_t listen_sock = INVALID_SOCKET;
  http_.set_socket_options([&listen_sock](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_sock = sock;  // the last one offered is the one that bound
  });
  const ServerOptions& o = svc_.opt;
  const int port = o.port == 0 ? http_.bind_to_any_port(o.host) : http_.bind_to_port(o.host, o.port) ? o.port : -1;
  // The hook captured a local: put the default back before it goes out of scope.
  http_.set_socket_options(httplib::default_socket_options);
  if (port >= 0 && listen_sock != INVALID_SOCKET) ::listen(listen_sock, SOMAXCONN);
  return port;
}

bool HttpServer::serve() { return http_.listen_after_bind(); }

void HttpServer::stop() {
  // httplib's stop() does nothing until listen has begun.
  for (int i = 0; i < 10000 && !http_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  http_.stop();
}

void HttpServer::dispatch(const Route& r, const httplib::Request& req, httplib::Response& res) {
  Call& call = t_cur.call;
  call.route = r.path;
  try {
    if (r.auth && !svc_.opt.api_keys.empty()) {
      const std::string key = request_api_key(req);
      bool good = false;
      for (const std::string& k : svc_.opt.api_keys) good |= k == key;
      if (key.empty())
        throw ApiError(r.dialect == Dialect::kLibre ? 403 : 401,
                       r.dialect == Dialect::kLibre ? "Invalid API key" : "an API key is required (Authorization: Bearer KEY)",
                       "api_key", "missing_api_key");
      // A wrong key: 401 as OpenAI answers it (its SDK's AuthenticationError); LibreTranslate says 403.
      if (!good) throw ApiError(r.dialect == Dialect::kLibre ? 403 : 401,
                                r.dialect == Dialect::kLibre ? "Invalid API key" : "the API key is not valid", "api_key",
                                "invalid_api_key");
    }
    if (r.model) {
      if (svc_.draining.load()) {
        res.set_header("Retry-After", "5");
        throw ApiError(503, "the server is shutting down", "", "shutting_down");
      }
      if (!svc_.ready.load()) {
        res.set_header("Retry-After", "2");
        throw ApiError(503, "the model is still loading", "", "loading");
      }
      if (!svc_.try_admit()) {
        svc_.metrics.rejected_busy();
        res.set_header("Retry-After", "1");
        throw ApiError(429, r.dialect == Dialect::kLibre ? "Slowdown: the server's queue is full"
                                                          : "the server's queue is full; retry later",
                       "", "queue_full");
      }
      call.admission = std::make_shared<Admission>(svc_);  // holds the admission; its destructor releases it
    }
    r.handler(req, res, call);
  } catch (const ApiError& e) {
    write_error(res, r.dialect, e.status(), e.what(), e.param(), e.code());
  } catch (const std::bad_alloc&) {
    write_error(res, r.dialect, 503, "out of memory");
  } catch (const std::exception& e) {
    write_error(res, r.dialect, 500, std::string("internal error: ") + e.what());
  }
  // The admission ends with the handler: a streamed response's provider holds its own reference
  // (released when httplib drops the response). Not left to the logger: httplib skips it when the
  // client has gone before the response is written, and the admission would stay taken.
  call.admission.reset();
}

void HttpServer::log(const httplib::Request& req, const httplib::Response& res) {
  Call& call = t_cur.call;
  const double ms = steady_ms() - t_cur.start_ms;
  const std::string route = call.route.empty() ? "unknown" : call.route;
  svc_.metrics.request_done(route, res.status, ms);
  if (call.prompt_tokens || call.completion_tokens)
    svc_.metrics.tokens(call.prompt_tokens, call.completion_tokens, call.cached_tokens);
  char when[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (svc_.opt.log_json) {
    std::fprintf(stderr,
                 "{\"time\":\"%s\",\"method\":%s,\"path\":%s,\"status\":%d,\"prompt_tokens\":%lld,"
                 "\"completion_tokens\":%lld,\"cached_tokens\":%lld,\"ms\":%.1f,\"remote\":%s}\n",
                 when, json_escape(req.method).c_str(), json_escape(req.path).c_str(), res.status,
                 static_cast<long long>(call.prompt_tokens), static_cast<long long>(call.completion_tokens),
                 static_cast<long long>(call.cached_tokens), ms, json_escape(req.remote_addr).c_str());
  } else {
    std::fprintf(stderr, "%s %s %s %d prompt=%lld completion=%lld cached=%lld %.1fms\n", when, req.method.c_str(),
                 req.path.c_str(), res.status, static_cast<long long>(call.prompt_tokens),
                 static_cast<long long>(call.completion_tokens), static_cast<long long>(call.cached_tokens), ms);
  }
  call.admission.reset();
}

}  // namespace hymt::server
