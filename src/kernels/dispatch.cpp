// dispatch.cpp: builds the kernel table from CPU features. The scalar references fill every entry
// first; each SIMD path then overrides the entries it implements.
#include "kernels/dispatch.h"

#include <cstdio>
#include <cstdlib>

#include "core/cpu_features.h"
#include "formats/format_ref.h"
#include "kernels/kernels.h"

namespace hymt {

namespace {

void fill_reference(KernelTable& t) {
  t.isa = "ref";
  for (size_t i = 0; i < static_cast<size_t>(WeightType::kCount); ++i) {
    const FormatRef* r = format_ref(static_cast<WeightType>(i));
    t.vec_dot[i] = r ? r->vec_dot : nullptr;
    t.gemm[i] = nullptr;
    t.quantize_act[i] = r ? r->quantize_row : nullptr;
  }
  register_ref_attention(t);
  register_ref_ops(t);
}

#if defined(__x86_64__)  // unused (and -Werror) elsewhere
bool x86_avx2_ok(const CpuFeatures& f) { return f.avx2 && f.fma && f.f16c; }
bool x86_avx512_ok(const CpuFeatures& f) {
  return x86_avx2_ok(f) && f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq && f.avx512vnni;
}
#endif

}  // namespace

bool build_kernel_table(const std::string& isa, KernelTable* out, std::string* error) {
  fill_reference(*out);
  const CpuFeatures& f = cpu_features();
  (void)f;  // unused on architectures without SIMD paths
  std::string want = isa;
  if (want.empty()) {
#if defined(__x86_64__)
    want = x86_avx512_ok(f) ? "avx512" : x86_avx2_ok(f) ? "avx2" : "ref";
#elif defined(__aarch64__)
    want = f.dotprod ? "dotprod" : "neon";
#else
    want = "ref";
#endif
  }
  if (want == "ref") return true;
#if defined(__x86_64__)
  if (want == "avx2" || want == "avx512") {
    if (!x86_avx2_ok(f) || (want == "avx512" && !x86_avx512_ok(f))) {
      if (error) *error = "this CPU cannot run the " + want + " path (it has: " + f.summary() + ")";
      return false;
    }
    register_avx2_kernels(*out);
    out->isa = "avx2";
    if (want == "avx512") {
      register_avx512_kernels(*out);
      out->isa = "avx512";
    }
    return true;
  }
#endif
#if defined(__aarch64__)
  if (want == "neon" || want == "dotprod") {
    if (want == "dotprod" && !f.dotprod) {
      if (error) *error = "this CPU cannot run the dotprod path (it has: " + f.summary() + ")";
      return false;
    }
    register_neon_kernels(*out);
    out->isa = "neon";
    if (want == "dotprod") {
      register_dotprod_kernels(*out);
      out->isa = "dotprod";
    }
    return true;
  }
#endif
  if (error) *error = "unknown or unavailable kernel path '" + want + "' (ref, avx2, avx512, neon, dotprod)";
  return false;
}

const KernelTable& kernel_table() {
  static const KernelTable table = [] {
    KernelTable t;
    const char* force = std::getenv("HYMT_FORCE_ISA");
    std::string err;
    if (!build_kernel_table(force ? force : "", &t, &err)) {
      // A forced path the CPU cannot run must not crash later with an illegal instruction: say so
      // and use the reference.
      std::fprintf(stderr, "hymt: HYMT_FORCE_ISA=%s: %s; using the reference kernels\n", force ? force : "",
                   err.c_str());
      fill_reference(t);
    }
    return t;
  }();
  return table;
}

const char* kernel_isa_name() { return kernel_table().isa.c_str(); }

}  // namespace hymt
