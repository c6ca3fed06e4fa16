// json_fields.cpp: body parsing and typed field access with 400s that name the field.
#include "json_fields.h"

#include <cmath>

#include "api_error.h"

namespace hymt::server {

namespace {

const char* type_word(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
  }
}

void add_field(json* obj, const std::string& name, const std::string& value) {
  auto it = obj->find(name);
  if (it == obj->end()) {
    (*obj)[name] = value;
  } else if (it->is_array()) {
    it->push_back(value);
  } else {
    *it = json::array({*it, value});
  }
}

// A form field's text as a number (forms send every value as text): all of it, or nullopt.
template <typename T, typename Conv>
std::optional<T> parse_whole(const std::string& s, Conv conv) {
  size_t used = 0;
  T v{};
  try {
    v = conv(s, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used == 0 || used != s.size()) return std::nullopt;
  return v;
}

}  // namespace

json parse_json_object(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ApiError(400, std::string("the body is not valid JSON: ") + e.what(), "", "invalid_json");
  }
  if (!j.is_object()) throw ApiError(400, std::string("the body must be a JSON object, not ") + type_word(j));
  return j;
}

json parse_body(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  // `curl -d '{...}'` labels a JSON body as a form: a body that starts with '{' is read as JSON.
  const bool json_in_form = type.rfind("application/x-www-form-urlencoded", 0) == 0 && !req.body.empty() &&
                            req.body.find_first_not_of(" \t\r\n") != std::string::npos &&
                            req.body[req.body.find_first_not_of(" \t\r\n")] == '{';
  if (json_in_form) return parse_json_object(req.body);
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0 || req.is_multipart_form_data()) {
    json j = json::object();
    for (const auto& [k, v] : req.params) add_field(&j, k, v);
    for (const auto& [k, f] : req.files)
      if (f.filename.empty()) add_field(&j, k, f.content);  // file parts are read by their handler
    return j;
  }
  if (req.body.empty()) throw ApiError(400, "the request has no body (a JSON object is expected)");
  return parse_json_object(req.body);
}

std::optional<std::string> get_string(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad_field(field, std::string("must be a string, not ") + type_word(*it));
  return it->get<std::string>();
}

std::optional<bool> get_bool(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {  // forms
    const std::string s = it->get<std::string>();
    if (s == "true" || s == "1" || s == "on") return true;
    if (s == "false" || s == "0" || s == "off" || s.empty()) return false;
  }
  bad_field(field, std::string("must be a boolean, not ") + type_word(*it));
}

std::optional<int64_t> get_int(const json& j, const char* field, int64_t lo, int64_t hi) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  int64_t v = 0;
  if (it->is_number_integer()) {
    v = it->get<int64_t>();
  } else if (it->is_number_float() && std::floor(it->get<double>()) == it->get<double>() &&
             std::fabs(it->get<double>()) < 9e15) {
    v = static_cast<int64_t>(it->get<double>());
  } else if (it->is_string()) {
    const std::string s = it->get<std::string>();
    auto n = parse_whole<int64_t>(s, [](const std::string& t, size_t* used) { return std::stoll(t, used); });
    if (!n) bad_field(field, "must be an integer, not '" + s + "'");
    v = *n;
  } else {
    bad_field(field, std::string("must be an integer, not ") + type_word(*it));
  }
  if (v < lo || v > hi) bad_field(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return v;
}

std::optional<double> get_number(const json& j, const char* field, double lo, double hi) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  double v = 0;
  if (it->is_number()) {
    v = it->get<double>();
  } else if (it->is_string()) {
    const std::string s = it->get<std::string>();
    auto n = parse_whole<double>(s, [](const std::string& t, size_t* used) { return std::stod(t, used); });
    if (!n) bad_field(field, "must be a number, not '" + s + "'");
    v = *n;
  } else {
    bad_field(field, std::string("must be a number, not ") + type_word(*it));
  }
  if (!std::isfinite(v) || v < lo || v > hi)
    bad_field(field, "must be a number between " + json(lo).dump() + " and " + json(hi).dump());
  return v;
}

std::optional<std::vector<std::string>> get_strings(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return std::vector<std::string>{it->get<std::string>()};
  if (!it->is_array()) bad_field(field, std::string("must be a string or an array of strings, not ") + type_word(*it));
  std::vector<std::string> out;
  for (const json& v : *it) {
    if (!v.is_string()) bad_field(field, std::string("must hold strings only, not ") + type_word(v));
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string require_string(const json& j, const char* field) {
  auto v = get_string(j, field);
  if (!v) bad_field(field, "is required");
  return *v;
}

void read_sampling_fields(const json& b, SamplingParams* sp) {
  if (auto v = get_number(b, "temperature", 0, 2)) sp->temperature = static_cast<float>(*v);
  if (auto v = get_number(b, "top_p", 0, 1)) {
    if (*v <= 0) bad_field("top_p", "must be greater than 0");
    sp->top_p = static_cast<float>(*v);
  }
  if (auto v = get_int(b, "top_k", 0, 1 << 30)) sp->top_k = static_cast<int>(*v);
  if (auto v = get_number(b, "repeat_penalty", 0, 10)) {
    if (*v <= 0) bad_field("repeat_penalty", "must be greater than 0");
    sp->repetition_penalty = static_cast<float>(*v);
  }
  if (auto v = get_int(b, "seed", INT64_MIN, INT64_MAX)) sp->seed = static_cast<uint64_t>(*v);
  if (auto v = get_bool(b, "loop_guard")) sp->loop_guard = *v;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace hymt::server
