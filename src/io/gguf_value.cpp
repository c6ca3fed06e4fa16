// gguf_value.cpp: GgufValue constructors, conversions and printing.
#include <cstdio>
#include <limits>

#include "io/gguf.h"

namespace hymt {

const char* gguf_type_name(GgufType t) {
  switch (t) {
    case GgufType::kU8: return "u8";
    case GgufType::kI8: return "i8";
    case GgufType::kU16: return "u16";
    case GgufType::kI16: return "i16";
    case GgufType::kU32: return "u32";
    case GgufType::kI32: return "i32";
    case GgufType::kF32: return "f32";
    case GgufType::kBool: return "bool";
    case GgufType::kString: return "string";
    case GgufType::kArray: return "array";
    case GgufType::kU64: return "u64";
    case GgufType::kI64: return "i64";
    case GgufType::kF64: return "f64";
  }
  return "?";
}

GgufValue GgufValue::make_u32(uint32_t v) {
  GgufValue x;
  x.type = GgufType::kU32;
  x.u = v;
  return x;
}
GgufValue GgufValue::make_i32(int32_t v) {
  GgufValue x;
  x.type = GgufType::kI32;
  x.i = v;
  return x;
}
GgufValue GgufValue::make_u64(uint64_t v) {
  GgufValue x;
  x.type = GgufType::kU64;
  x.u = v;
  return x;
}
GgufValue GgufValue::make_f32(float v) {
  GgufValue x;
  x.type = GgufType::kF32;
  x.f = v;
  return x;
}
GgufValue GgufValue::make_bool(bool v) {
  GgufValue x;
  x.type = GgufType::kBool;
  x.u = v ? 1 : 0;
  return x;
}
GgufValue GgufValue::make_string(std::string v) {
  GgufValue x;
  x.type = GgufType::kString;
  x.s = std::move(v);
  return x;
}
GgufValue GgufValue::make_array(GgufType elem, std::vector<GgufValue> items) {
  GgufValue x;
  x.type = GgufType::kArray;
  x.elem_type = elem;
  x.arr = std::move(items);
  return x;
}

bool GgufValue::is_integer() const {
  switch (type) {
    case GgufType::kU8: case GgufType::kU16: case GgufType::kU32: case GgufType::kU64:
    case GgufType::kI8: case GgufType::kI16: case GgufType::kI32: case GgufType::kI64:
      return true;
    default:
      return false;
  }
}

std::optional<int64_t> GgufValue::as_int() const {
  switch (type) {
    case GgufType::kU8: case GgufType::kU16: case GgufType::kU32:
      return static_cast<int64_t>(u);
    case GgufType::kU64:
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(u);
    case GgufType::kI8: case GgufType::kI16: case GgufType::kI32: case GgufType::kI64:
      return i;
    default:
      return std::nullopt;
  }
}

std::optional<double> GgufValue::as_number() const {
  if (type == GgufType::kF32 || type == GgufType::kF64) return f;
  if (auto v = as_int()) return static_cast<double>(*v);
  return std::nullopt;
}

std::string GgufValue::summary() const {
  char buf[64];
  switch (type) {
    case GgufType::kString: {
      std::string s2 = s.size() > 60 ? s.substr(0, 57) + "..." : s;
      std::string out = "\"";
      for (char c : s2) {
        if (c == '\n') out += "\\n";
        else if (c == '"') out += "\\\"";
        else out += c;
      }
      return out + "\"";
    }
    case GgufType::kArray:
      if (arr.size() <= 8 && elem_type != GgufType::kArray) {
        std::string out = "[";
        for (size_t k = 0; k < arr.size(); ++k) out += (k ? ", " : "") + arr[k].summary();
        return out + "]";
      }
      std::snprintf(buf, sizeof buf, "[%zu %s]", arr.size(), gguf_type_name(elem_type));
      return buf;
    case GgufType::kBool: return u ? "true" : "false";
    case GgufType::kF32: case GgufType::kF64:
      std::snprintf(buf, sizeof buf, "%.9g", f);
      return buf;
    default:
      if (auto v = as_int()) return std::to_string(*v);
      return std::to_string(u);
  }
}

}  // namespace hymt
