// ggml_type.h: the weight types hymt knows, their GGUF type ids and block geometry.
// `WeightType` is our own enum: GGUF type ids collide between upstream ggml and Tencent's files
// (ids 40-43, spec §4.3), so a file's id is resolved to a WeightType by the loader, never cast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hymt {

enum class WeightType : uint8_t {
  kF32,
  kF16,
  kBF16,
  kQ4_0,
  kQ4_1,
  kQ5_0,
  kQ5_1,
  kQ8_0,
  kQ8_1,
  kQ2_K,
  kQ3_K,
  kQ4_K,
  kQ5_K,
  kQ6_K,
  kQ8_K,
  kTQ1_0,
  kTQ2_0,
  kMXFP4,
  kQ2_0C,     // Tencent 2-bit (official id 40)
  kSTQ1_0,    // Tencent 1.25-bit Sherry, stride-16 lanes (Hy-MT2; official id 42; PR head 43)
  kSTQ1_0_CONSEC,  // the same blocks with consecutive lanes (older HY-MT1.5 file); also id 42
  kNVFP4,     // upstream id 40 (disambiguation only)
  kQ1_0,      // upstream id 41 (disambiguation only)
  kQ2_0,      // upstream id 42 (disambiguation only)
  kI8,
  kI16,
  kI32,
  kI64,
  kF64,
  kCount,
};

struct WeightTypeInfo {
  const char* name;   // as llama.cpp prints it ("Q8_0")
  int64_t block;      // weights per block (1 for plain floats)
  size_t block_bytes; // bytes per block
};

const WeightTypeInfo& type_info(WeightType t);
inline const char* type_name(WeightType t) { return type_info(t).name; }

// Bytes of a row of `ne0` weights, or nullopt when ne0 is not a multiple of the block size.
std::optional<size_t> row_bytes(WeightType t, int64_t ne0);

// The GGUF type id we write for a type (the official files' ids for STQ1_0 = 42 and Q2_0C = 40).
uint32_t gguf_type_id(WeightType t);

// Types whose GGUF id is unambiguous: id -> type. Ids 40..43 are ambiguous and need
// candidates_for_gguf_id() plus the tensor's byte extent.
std::optional<WeightType> unambiguous_type_for_gguf_id(uint32_t id);
// Every type that some producer writes under this id (empty if the id is unknown). STQ1_0 appears
// once, as kSTQ1_0: its two lane layouts have the same bytes, so the loader picks the layout from
// metadata afterwards (io/gguf_reader.cpp; docs/formats.md).
std::vector<WeightType> candidates_for_gguf_id(uint32_t id);

// Parses "q8_0", "Q8_0", "f16", ... (case-insensitive).
std::optional<WeightType> parse_type_name(const std::string& s);

}  // namespace hymt
