// kernel_bench.cpp: Google Benchmark microbenchmarks of the weight x activation kernels, one per
// format x kernel path x activation-row count, single-threaded over a whole weight matrix.
// `/1` is decode (one token: memory-bound, reported as weight bytes/s), `/4` a prefill tile (the
// same matrix against 4 tokens). `packed/...` runs the row-interleaved kernels (dispatch.h
// PackedKernel) on the same matrix packed, for 1 token and a full kPackTokens tile. The matrix is ~HYMT_BENCH_MB MiB (default 96, above this
// machine's L3) of a few reference-quantized rows repeated, so values are realistic without
// running the slow K-quant quantizers over the whole matrix; HYMT_BENCH_MB=0.5 keeps it in L2 and
// measures compute alone. On a shared machine run with --benchmark_repetitions=N and read the
// `_min` rows.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/rng.h"
#include "formats/format_ref.h"
#include "kernels/dispatch.h"

namespace hymt {
namespace {

constexpr int64_t kCols = 2048;  // HY-MT 1.8B hidden size
constexpr int kDistinctRows = 16;

struct Matrix {
  std::vector<uint8_t> w;
  size_t row_bytes = 0;
  int64_t rows = 0;
};

Matrix make_matrix(WeightType type) {
  const FormatRef* ref = format_ref(type);
  Matrix m;
  m.row_bytes = *row_bytes(type, kCols);
  const char* env = std::getenv("HYMT_BENCH_MB");
  const double mb = env ? std::atof(env) : 96.0;
  m.rows = std::max<int64_t>(kDistinctRows, static_cast<int64_t>(mb * 1048576.0 / static_cast<double>(m.row_bytes)));
  m.rows = (m.rows + 3) / 4 * 4;
  m.w.resize(m.row_bytes * static_cast<size_t>(m.rows));
  SplitMix64 rng(42);
  std::vector<float> v(kCols);
  for (int r = 0; r < kDistinctRows; ++r) {
    for (auto& x : v) x = rng.uniform();
    ref->quantize_row(v.data(), m.w.data() + static_cast<size_t>(r) * m.row_bytes, kCols);
  }
  for (int64_t r = kDistinctRows; r < m.rows; ++r)
    std::memcpy(m.w.data() + static_cast<size_t>(r) * m.row_bytes,
                m.w.data() + static_cast<size_t>(r % kDistinctRows) * m.row_bytes, m.row_bytes);
  return m;
}

// n_tok random activation rows of kCols values, converted to `act` by the table's quantizer.
std::vector<uint8_t> make_activations(const KernelTable& kt, WeightType act, int n_tok) {
  const size_t arb = *row_bytes(act, kCols);
  std::vector<uint8_t> a(arb * static_cast<size_t>(n_tok));
  SplitMix64 rng(7);
  std::vector<float> x(kCols);
  for (int t = 0; t < n_tok; ++t) {
    for (auto& v : x) v = rng.uniform();
    kt.quantize_act[static_cast<size_t>(act)](x.data(), a.data() + arb * static_cast<size_t>(t), kCols);
  }
  return a;
}

void bench_matmul(benchmark::State& state, WeightType type, std::string isa, int n_tok) {
  KernelTable kt;
  std::string err;
  if (!build_kernel_table(isa, &kt, &err)) {
    state.SkipWithError(err.c_str());
    return;
  }
  const FormatRef* ref = format_ref(type);
  const Matrix m = make_matrix(type);
  const size_t arb = *row_bytes(ref->act_type, kCols);
  const std::vector<uint8_t> a = make_activations(kt, ref->act_type, n_tok);
  std::vector<float> y(static_cast<size_t>(m.rows * n_tok));
  const GemmTileFn gemm = kt.gemm[static_cast<size_t>(type)];
  const VecDotFn dot = kt.vec_dot[static_cast<size_t>(type)];
  for (auto _ : state) {
    for (int64_t r = 0; r < m.rows; r += kTileMax) {
      const uint8_t* wr = m.w.data() + static_cast<size_t>(r) * m.row_bytes;
      if (gemm) {
        gemm(kCols, wr, m.row_bytes, kTileMax, a.data(), arb, n_tok, y.data() + r, m.rows);
      } else {
        for (int rr = 0; rr < kTileMax; ++rr)
          for (int t = 0; t < n_tok; ++t)
            y[static_cast<size_t>(t * m.rows + r + rr)] = dot(kCols, wr + rr * m.row_bytes, a.data() + t * arb);
      }
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  // Time per unit (not rates), so the `min` statistic picks the best repetition for every column.
  const auto per = benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert;
  state.counters["ps/weight"] = benchmark::Counter(static_cast<double>(m.rows * kCols * n_tok) * 1e-12, per);
  state.counters["ps/byte"] = benchmark::Counter(static_cast<double>(m.w.size()) * 1e-12, per);
}

// The row-interleaved kernel of the same matrix (packed at load in the engine): `packed/<type>/..`.
void bench_packed(benchmark::State& state, WeightType type, std::string isa, int n_tok) {
  KernelTable kt;
  if (!build_kernel_table(isa, &kt, nullptr)) {
    state.SkipWithError("path not runnable here");
    return;
  }
  const PackedKernel& pk = kt.packed[static_cast<size_t>(type)];
  const FormatRef* ref = format_ref(type);
  const Matrix m = make_matrix(type);
  const int64_t groups = m.rows / kPackRows;
  const size_t gb = pk.bytes(kCols);
  std::vector<uint8_t> packed(gb * static_cast<size_t>(groups));
  for (int64_t g = 0; g < groups; ++g)
    pk.pack(m.w.data() + static_cast<size_t>(g * kPackRows) * m.row_bytes, m.row_bytes, kCols, packed.data() + g * gb);
  const size_t arb = *row_bytes(ref->act_type, kCols);
  const std::vector<uint8_t> a = make_activations(kt, ref->act_type, n_tok);
  // Block sums of Q8_0 activations (zero is as fast as real ones; k-quant kernels ignore them).
  std::vector<int32_t> sums(static_cast<size_t>(kCols / 32 * n_tok), 0);
  // Kernels that read activation tiles get one (made once per product in the engine, as here).
  std::vector<uint8_t> tile(pk.tile_act ? pk.tile_bytes(kCols, n_tok) : 0);
  if (pk.tile_act) pk.tile_act(kCols, a.data(), arb, sums.data(), kCols / 32, n_tok, tile.data());
  const uint8_t* act = pk.tile_act ? tile.data() : a.data();
  std::vector<float> y(static_cast<size_t>(m.rows * n_tok));
  for (auto _ : state) {
    for (int64_t g = 0; g < groups; ++g)
      pk.gemm(kCols, packed.data() + g * gb, act, arb, sums.data(), kCols / 32, n_tok, y.data() + g * kPackRows,
              m.rows);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const auto per = benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert;
  state.counters["ps/weight"] = benchmark::Counter(static_cast<double>(groups * kPackRows * kCols * n_tok) * 1e-12, per);
  state.counters["ps/byte"] = benchmark::Counter(static_cast<double>(packed.size()) * 1e-12, per);
}

void bench_quantize_act(benchmark::State& state, WeightType act, std::string isa) {
  KernelTable kt;
  if (!build_kernel_table(isa, &kt, nullptr)) {
    state.SkipWithError("path not runnable here");
    return;
  }
  const int64_t n = 16 * kCols;
  std::vector<float> x(static_cast<size_t>(n));
  SplitMix64 rng(3);
  for (auto& v : x) v = rng.uniform();
  std::vector<uint8_t> out(*row_bytes(act, n));
  for (auto _ : state) {
    kt.quantize_act[static_cast<size_t>(act)](x.data(), out.data(), n);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["ps/value"] = benchmark::Counter(
      static_cast<double>(n) * 1e-12, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// On a shared machine the fastest repetition is the one least disturbed by other processes.
double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

void register_all() {
  const WeightType types[] = {WeightType::kQ6_K,  WeightType::kQ4_K,  WeightType::kQ4_0,  WeightType::kQ5_K,
                              WeightType::kQ2_K,  WeightType::kTQ2_0, WeightType::kTQ1_0, WeightType::kQ4_1,
                              WeightType::kQ5_0,  WeightType::kQ5_1,  WeightType::kQ8_0,  WeightType::kSTQ1_0,
                              WeightType::kSTQ1_0_CONSEC, WeightType::kQ2_0C, WeightType::kF16,
                              WeightType::kBF16};
  const char* filter_isa = std::getenv("HYMT_BENCH_ISA");  // e.g. "avx512" to skip the others
  for (const char* isa : {"ref", "avx2", "avx512", "neon", "dotprod"}) {
    if (filter_isa && std::strcmp(filter_isa, isa) != 0) continue;
    KernelTable probe;
    if (!build_kernel_table(isa, &probe, nullptr)) continue;  // not this CPU's (or architecture's) path
    for (WeightType t : types)
      for (int nt : {1, 4})
        benchmark::RegisterBenchmark((std::string("matmul/") + type_name(t) + "/" + isa + "/" + std::to_string(nt)).c_str(),
                                     bench_matmul, t, std::string(isa), nt)
            ->Unit(benchmark::kMillisecond)
            ->ComputeStatistics("min", min_of);
    for (WeightType t : types) {
      if (probe.packed[static_cast<size_t>(t)].gemm == nullptr) continue;
      for (int nt : {1, kPackTokens})
        benchmark::RegisterBenchmark((std::string("packed/") + type_name(t) + "/" + isa + "/" + std::to_string(nt)).c_str(),
                                     bench_packed, t, std::string(isa), nt)
            ->Unit(benchmark::kMillisecond)
            ->ComputeStatistics("min", min_of);
    }
    for (WeightType act : {WeightType::kQ8_0, WeightType::kQ8_K})
      benchmark::RegisterBenchmark((std::string("quantize_act/") + type_name(act) + "/" + isa).c_str(),
                                   bench_quantize_act, act, std::string(isa))
          ->Unit(benchmark::kMicrosecond)
          ->ComputeStatistics("min", min_of);
  }
}

}  // namespace
}  // namespace hymt

int main(int argc, char** argv) {
  hymt::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
