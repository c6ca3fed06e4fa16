// json_fields.h: reading request bodies. parse_json_body() turns a body into a JSON object (or a
// 400 saying where it is malformed); the getters read one optional field of an expected type and
// throw a 400 naming the field when it has another type or an out-of-range value. Form-encoded
// and multipart bodies (LibreTranslate's clients send both) become the same JSON object of
// strings, so every API reads its fields one way.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sampling.h"

namespace hymt::server {

using nlohmann::json;

// The body as a JSON object: application/json (or no type) is parsed; form-encoded and multipart
// fields become string members (a field given twice becomes an array of strings: q=a&q=b).
json parse_body(const httplib::Request& req);
// JSON text into an object, or a 400 with the parser's position.
json parse_json_object(const std::string& text);

std::optional<std::string> get_string(const json& j, const char* field);
std::optional<bool> get_bool(const json& j, const char* field);
// An integer in [lo, hi] (a string of digits is accepted from forms).
std::optional<int64_t> get_int(const json& j, const char* field, int64_t lo, int64_t hi);
// A finite number in [lo, hi].
std::optional<double> get_number(const json& j, const char* field, double lo, double hi);
// A string or an array of strings, as an array.
std::optional<std::vector<std::string>> get_strings(const json& j, const char* field);

std::string require_string(const json& j, const char* field);

// The decoding fields every generating route reads, over the route's defaults in *sp:
// temperature [0, 2], top_p (0, 1], top_k >= 0, repeat_penalty (0, 10], seed, loop_guard.
void read_sampling_fields(const json& b, SamplingParams* sp);

// JSON text for a response: invalid UTF-8 in model output is replaced, never thrown.
std::string dump(const json& j);

}  // namespace hymt::server
