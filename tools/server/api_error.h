// api_error.h: how a handler refuses a request. A handler throws ApiError (status, message, the
// field at fault); the route wrapper (http_server.cpp) catches it and writes the error in the
// dialect of the route's API: OpenAI's {"error": {"message", "type", "param", "code"}}, or
// LibreTranslate's {"error": "..."}. Nothing else is thrown on purpose: any other exception is a
// 500 with its message, caught in the same place.
#pragma once

#include <stdexcept>
#include <string>

#include "core/status.h"

namespace hymt::server {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string message, std::string param = "", std::string code = "")
      : std::runtime_error(message), status_(status), param_(std::move(param)), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& param() const { return param_; }  // the request field at fault ("" if none)
  const std::string& code() const { return code_; }    // a machine-readable code ("" if none)

 private:
  int status_;
  std::string param_, code_;
};

// 400 naming the field.
[[noreturn]] inline void bad_field(const std::string& field, const std::string& why) {
  throw ApiError(400, "'" + field + "' " + why, field, "invalid_request");
}

// The HTTP status for a library Status (a bad argument is the client's fault; a cancelled call is
// a timeout or a server shutting down; the rest are the server's).
inline int http_status_of(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorruptFile:
    case StatusCode::kUnsupported: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kCancelled: return 503;
    default: return 500;
  }
}

[[noreturn]] inline void throw_status(const Status& st, const std::string& param = "") {
  throw ApiError(http_status_of(st), st.message(), param);
}

}  // namespace hymt::server
