// capi_core.cpp: errors, version, languages and detection of the C API (no model needed).
#include <string>

#include "capi_internal.h"
#include "hymt_commit.h"
#include "translate/detect.h"
#include "translate/languages.h"

namespace hymt::capi {
namespace {
thread_local std::string t_last_error;
}

const char* t_last_error_ptr() { return t_last_error.c_str(); }

hymt_status fail(hymt_status s, const std::string& message) {
  try {
    t_last_error = message;
  } catch (...) {
    t_last_error.clear();  // out of memory for the message itself: the status still says it
  }
  return s;
}

hymt_status status_of(StatusCode c) {
  switch (c) {
    case StatusCode::kOk: return HYMT_OK;
    case StatusCode::kInvalidArgument: return HYMT_ERR_INVALID_ARGUMENT;
    case StatusCode::kNotFound: return HYMT_ERR_NOT_FOUND;
    case StatusCode::kIoError: return HYMT_ERR_IO;
    case StatusCode::kCorruptFile: return HYMT_ERR_CORRUPT_FILE;
    case StatusCode::kUnsupported: return HYMT_ERR_UNSUPPORTED;
    case StatusCode::kOutOfMemory: return HYMT_ERR_OUT_OF_MEMORY;
    case StatusCode::kInternal: return HYMT_ERR_INTERNAL;
    case StatusCode::kCancelled: return HYMT_ERR_CANCELLED;
  }
  return HYMT_ERR_INTERNAL;
}

hymt_status fail(const Status& st) { return fail(status_of(st.code()), st.message()); }

}  // namespace hymt::capi

using namespace hymt;
using capi::fail;
using capi::guarded;

extern "C" {

const char* hymt_version(void) {
  static const std::string v = std::string(HYMT_VERSION_STRING) + " (commit " + HYMT_GIT_COMMIT + ")";
  return v.c_str();
}

int hymt_api_version(void) { return HYMT_API_VERSION_MAJOR * 1000 + HYMT_API_VERSION_MINOR; }

const char* hymt_last_error(void) { return capi::t_last_error_ptr(); }

const char* hymt_status_name(hymt_status s) {
  switch (s) {
    case HYMT_OK: return "ok";
    case HYMT_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case HYMT_ERR_NOT_FOUND: return "not_found";
    case HYMT_ERR_IO: return "io_error";
    case HYMT_ERR_CORRUPT_FILE: return "corrupt_file";
    case HYMT_ERR_UNSUPPORTED: return "unsupported";
    case HYMT_ERR_OUT_OF_MEMORY: return "out_of_memory";
    case HYMT_ERR_INTERNAL: return "internal";
    case HYMT_ERR_CANCELLED: return "cancelled";
    case HYMT_ERR_BUFFER_TOO_SMALL: return "buffer_too_small";
    case HYMT_ERR_BUSY: return "busy";
  }
  return "unknown_status";
}

size_t hymt_language_count(void) { return hy_languages().size(); }

hymt_status hymt_language_get(size_t i, hymt_language* out) {
  return guarded("hymt_language_get", [&] {
    const auto& all = hy_languages();
    if (i >= all.size())
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  "hymt_language_get: index " + std::to_string(i) + " is not below " + std::to_string(all.size()));
    const Language& l = all[i];
    hymt_language full{sizeof(hymt_language), l.code.c_str(), l.flores.c_str(), l.english.c_str(), l.chinese.c_str()};
    return capi::write_out(full, out, "hymt_language_get");
  });
}

hymt_status hymt_language_find(const char* name, const char** code) {
  return guarded("hymt_language_find", [&] {
    if (!name || !code) return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_language_find: name and code must not be NULL");
    const Language* l = find_language(name);
    if (!l)
      return fail(HYMT_ERR_INVALID_ARGUMENT,
                  std::string("unknown language '") + name + "'; HY-MT translates: " + language_code_list());
    *code = l->code.c_str();
    return HYMT_OK;
  });
}

hymt_status hymt_detect_language(const char* text, size_t len, const char** code, double* confidence) {
  return guarded("hymt_detect_language", [&] {
    if (!code || (!text && len > 0))
      return fail(HYMT_ERR_INVALID_ARGUMENT, "hymt_detect_language: text and code must not be NULL");
    double c = 0;
    const Language* l = detect_language(std::string(text ? text : "", len), &c);
    *code = l ? l->code.c_str() : nullptr;
    if (confidence) *confidence = l ? c : 0.0;
    return HYMT_OK;
  });
}

}  // extern "C"
