// capi_internal.h: what the C API's handles hold, and the guard every entry point runs its body in.
// The handles are thin: a hymt_model is a shared Engine (the one owner of the weights, the threads
// and the decoding loop: the C API never decodes itself), a hymt_translator a Translator over it.
#pragma once

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "core/status.h"
#include "hymt/hymt.h"
#include "runtime/engine.h"
#include "translate/document_job.h"
#include "translate/translator.h"

struct hymt_model {
  std::shared_ptr<hymt::Engine> engine;
  std::string name, family;
};

struct hymt_translator {
  std::shared_ptr<hymt::Engine> engine;  // keeps the model alive after hymt_model_free
  std::unique_ptr<hymt::Translator> t;
  std::atomic<bool> busy{false};
  std::mutex mu;                              // guards cancel
  std::shared_ptr<std::atomic<bool>> cancel;  // the running call's flag; null when idle
};

struct hymt_result {
  hymt::JobResult job;
  std::string json;
};

namespace hymt::capi {

// Records the message for hymt_last_error() on this thread and returns the status.
hymt_status fail(hymt_status s, const std::string& message);
hymt_status fail(const Status& st);
hymt_status status_of(StatusCode c);
const char* t_last_error_ptr();  // this thread's message, "" when none

// Runs body() (returning hymt_status) so that nothing thrown leaves the library.
template <class F>
hymt_status guarded(const char* fn, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(HYMT_ERR_OUT_OF_MEMORY, std::string(fn) + ": out of memory");
  } catch (const std::exception& e) {
    return fail(HYMT_ERR_INTERNAL, std::string(fn) + ": " + e.what());
  } catch (...) {
    return fail(HYMT_ERR_INTERNAL, std::string(fn) + ": unknown exception");
  }
}

// Copies a caller's parameter struct over the defaults: only its first struct_size bytes (an older,
// shorter struct keeps the defaults of the fields it lacks; a newer, longer one is cut to ours).
template <class P>
hymt_status read_params(const P* given, P defaults, P* out, const char* what) {
  *out = defaults;
  if (!given) return HYMT_OK;
  const size_t size = given->struct_size;
  if (size < sizeof(size_t) || size > (1u << 16))
    return fail(HYMT_ERR_INVALID_ARGUMENT, std::string(what) +
                                               ".struct_size is not set (get the struct from its "
                                               "*_params_init() function)");
  const size_t n = size < sizeof(P) ? size : sizeof(P);
  std::memcpy(static_cast<void*>(out), static_cast<const void*>(given), n);
  out->struct_size = sizeof(P);
  return HYMT_OK;
}

// *_params_init: the defaults into the caller's struct of `size` bytes.
template <class P>
hymt_status init_params(const P& defaults, P* out, size_t size) {
  if (!out || size < sizeof(size_t))
    return fail(HYMT_ERR_INVALID_ARGUMENT, "*_params_init: params is NULL or size is below sizeof(size_t)");
  std::memcpy(static_cast<void*>(out), static_cast<const void*>(&defaults), size < sizeof(P) ? size : sizeof(P));
  out->struct_size = size;
  return HYMT_OK;
}

hymt_model_params model_defaults();
hymt_translate_params translate_defaults();

// For output structs the caller sizes (hymt_language, hymt_segment, hymt_model_info): fills `full`
// and copies as much of it as the caller's struct holds.
template <class P>
hymt_status write_out(const P& full, P* out, const char* what) {
  if (!out) return fail(HYMT_ERR_INVALID_ARGUMENT, std::string(what) + ": out is NULL");
  const size_t caller = out->struct_size;
  if (caller < sizeof(size_t))
    return fail(HYMT_ERR_INVALID_ARGUMENT, std::string(what) + ": set out->struct_size to sizeof the struct first");
  const size_t n = caller < sizeof(P) ? caller : sizeof(P);
  std::memcpy(static_cast<void*>(out), static_cast<const void*>(&full), n);
  out->struct_size = caller;
  return HYMT_OK;
}

}  // namespace hymt::capi
