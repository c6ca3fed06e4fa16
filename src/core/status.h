// status.h: Status and Result<T>, the error currency of the hymt library.
// The core never throws and never aborts on bad input: every fallible function returns a Status or a
// Result<T> carrying a message a user can act on. Programmer errors use HYMT_ASSERT (always on).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace hymt {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad user input (flags, ids, names)
  kNotFound,         // missing file, tensor or key
  kIoError,          // read/write/mmap failure
  kCorruptFile,      // a file whose bytes break its format's rules
  kUnsupported,      // well-formed but not something this engine runs
  kOutOfMemory,
  kInternal,
  kCancelled,  // the caller withdrew the request (a server's client went away or timed out)
};

const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corrupt file: <message>"
  std::string to_string() const;

  // Prefixes context ("loading model.gguf: ") to the message, keeping the code.
  Status with_context(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status corrupt_file(std::string m) { return {StatusCode::kCorruptFile, std::move(m)}; }
inline Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
inline Status out_of_memory(std::string m) { return {StatusCode::kOutOfMemory, std::move(m)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "Result built from an ok Status");
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

[[noreturn]] void assert_fail(const char* expr, const char* file, int line);

}  // namespace hymt

#define HYMT_ASSERT(x) \
  do {                 \
    if (!(x)) ::hymt::assert_fail(#x, __FILE__, __LINE__); \
  } while (0)

#define HYMT_CONCAT_INNER(a, b) a##b
#define HYMT_CONCAT(a, b) HYMT_CONCAT_INNER(a, b)

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define HYMT_RETURN_IF_ERROR(expr)           \
  do {                                       \
    ::hymt::Status hymt_st_ = (expr);        \
    if (!hymt_st_.ok()) return hymt_st_;     \
  } while (0)

// `lhs = value of expr` where expr is a Result<T>; returns its Status on error.
#define HYMT_ASSIGN_OR_RETURN(lhs, expr)                                   \
  auto HYMT_CONCAT(hymt_res_, __LINE__) = (expr);                          \
  if (!HYMT_CONCAT(hymt_res_, __LINE__).ok())                              \
    return HYMT_CONCAT(hymt_res_, __LINE__).status();                      \
  lhs = std::move(HYMT_CONCAT(hymt_res_, __LINE__)).value()
