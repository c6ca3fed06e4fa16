// packed_float_ref.cpp: the scalar references of the float packed layouts (F32x16, F16x16, BF16x16;
// kernels/packed_layout.h): packing is a transpose of 16 rows (the SIMD paths install a faster
// transpose for the 16-bit types, tested equal to this one), and the product keeps two fused
// multiply-add chains per output (even and odd k, each in order of k, added at the end), exactly as
// the SIMD outer-product kernels do.
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "kernels/dispatch.h"

namespace hymt {

namespace {

struct F32 {
  using T = float;
  static float to_f32(T v) { return v; }
};
struct F16 {
  using T = uint16_t;
  static float to_f32(T v) { return fp16_to_f32(v); }
};
struct BF16 {
  using T = uint16_t;
  static float to_f32(T v) { return bf16_to_f32(v); }
};

template <class E>
size_t packed_bytes(int64_t ne0) {
  return static_cast<size_t>(ne0) * kPackRows * sizeof(typename E::T);
}

template <class E>
void pack(const uint8_t* rows, size_t row_bytes, int64_t ne0, uint8_t* dst) {
  using T = typename E::T;
  T* g = reinterpret_cast<T*>(dst);
  for (int r = 0; r < kPackRows; ++r) {
    const T* src = reinterpret_cast<const T*>(rows + static_cast<size_t>(r) * row_bytes);
    for (int64_t k = 0; k < ne0; ++k) g[k * kPackRows + r] = src[k];
  }
}

template <class E>
void unpack_row(const uint8_t* group, int64_t ne0, int r, uint8_t* dst) {
  using T = typename E::T;
  const T* g = reinterpret_cast<const T*>(group);
  T* out = reinterpret_cast<T*>(dst);
  for (int64_t k = 0; k < ne0; ++k) out[k] = g[k * kPackRows + r];
}

template <class E>
void gemm_ref(int64_t ne0, const uint8_t* group, const uint8_t* act, size_t as, const int32_t*, int64_t, int nt,
              float* y, int64_t ldy) {
  using T = typename E::T;
  const T* g = reinterpret_cast<const T*>(group);
  for (int t = 0; t < nt; ++t) {
    const float* x = reinterpret_cast<const float*>(act + static_cast<size_t>(t) * as);
    for (int r = 0; r < kPackRows; ++r) {
      float acc[2] = {0, 0};  // even and odd k
      for (int64_t k = 0; k < ne0; ++k) acc[k & 1] = std::fma(E::to_f32(g[k * kPackRows + r]), x[k], acc[k & 1]);
      y[t * ldy + r] = acc[0] + acc[1];
    }
  }
}

template <class E>
PackedKernel kernel() {
  return {packed_bytes<E>, pack<E>, unpack_row<E>, gemm_ref<E>};
}

}  // namespace

PackedKernel packed_float_reference(WeightType t) {
  if (t == WeightType::kF32) return kernel<F32>();
  if (t == WeightType::kF16) return kernel<F16>();
  if (t == WeightType::kBF16) return kernel<BF16>();
  return {};
}

void install_packed_float(KernelTable& t, PackFn pack16, PackedGemmFn f32, PackedGemmFn f16, PackedGemmFn bf16) {
  const WeightType types[] = {WeightType::kF32, WeightType::kF16, WeightType::kBF16};
  const PackedGemmFn gemms[] = {f32, f16, bf16};
  for (int i = 0; i < 3; ++i) {
    PackedKernel k = packed_float_reference(types[i]);
    k.gemm = gemms[i];
    if (pack16 != nullptr && types[i] != WeightType::kF32) k.pack = pack16;
    t.packed[static_cast<size_t>(types[i])] = k;
  }
}

}  // namespace hymt
