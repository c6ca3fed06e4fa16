// http_server.h: the HTTP layer, over cpp-httplib (Debian's libcpp-httplib, the library llama.cpp's
// server also uses). It owns routing and everything that is the same for every route: 404 and 405
// with Allow, CORS and preflight, API keys, the body limit (413), "loading" (503) and "busy" (429
// with Retry-After) answers, catching every exception, one log line per request and the request
// metrics. The APIs (openai_api, libretranslate_api, native_api) only add routes with a handler.
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "service.h"

namespace hymt::server {

// The error body a route writes (its API's dialect).
enum class Dialect {
  kOpenAI,  // {"error": {"message", "type", "param", "code"}}
  kLibre,   // {"error": "..."}
};

// What a handler learns about its request beyond httplib's, and reports for the log line.
struct Call {
  std::string route;
  std::shared_ptr<Admission> admission;  // model routes: held until the response is complete
  int64_t prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0;
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&, Call&)>;

struct Route {
  std::string method;  // "GET", "POST"
  std::string path;    // exact, or a prefix ending in '/' with prefix = true
  Dialect dialect = Dialect::kOpenAI;
  bool model = true;   // needs the loaded model: 503 while loading, admission (429 when full)
  bool auth = true;    // needs an API key when the server has any
  Handler handler;
  bool prefix = false;
};

class HttpServer {
 public:
  explicit HttpServer(Service& svc);
  void add(Route r);
  // Binds (port 0: any free port) and returns the port, or -1.
  int bind();
  // Serves until stop(); returns after the requests in flight have been answered.
  bool serve();
  // Stops accepting; serve() returns once the requests in flight are answered. Safe from any thread,
  // also before serve() has started (it then waits for it to start, so the stop is not lost).
  void stop();

 private:
  const Route* find(const std::string& method, const std::string& path, std::string* allow) const;
  void dispatch(const Route& r, const httplib::Request& req, httplib::Response& res);
  void log(const httplib::Request& req, const httplib::Response& res);

  Service& svc_;
  httplib::Server http_;
  std::vector<Route> routes_;
};

// Writes an error body for `status` in the route's dialect.
void write_error(httplib::Response& res, Dialect d, int status, const std::string& message,
                 const std::string& param = "", const std::string& code = "");

// The API key a request carries: Authorization: Bearer K, X-API-Key, or an api_key field.
std::string request_api_key(const httplib::Request& req);

}  // namespace hymt::server
