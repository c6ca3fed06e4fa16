// cmd_tensor.cpp: `hymt tensor`: one tensor dequantized to float32 (ne1 rows of ne0 values;
// higher dimensions follow as further rows).
#include <memory>

#include "cli_common.h"
#include "formats/format_ref.h"
#include "io/file_util.h"
#include "io/gguf.h"

namespace hymt::cli {

namespace {

struct TensorArgs {
  std::string model, name, output;
};

int run_tensor(const TensorArgs& a) {
  if (Status st = check_model_path(a.model); !st.ok()) return report(st);
  auto f = GgufFile::open(a.model);
  if (!f.ok()) return report(f.status());
  const GgufTensor* t = f.value()->find_tensor(a.name);
  if (!t) return report(not_found("no tensor named '" + a.name + "' in " + a.model));
  const FormatRef* ref = format_ref(t->type);
  if (!ref) return report(unsupported(std::string("tensor '") + a.name + "' has type " + type_name(t->type) +
                                      ", which this build cannot dequantize yet"));
  const int64_t ne0 = t->ne0(), rows = t->n_rows();
  const size_t rb = *row_bytes(t->type, ne0);
  std::vector<float> out(static_cast<size_t>(ne0 * rows));
  for (int64_t r = 0; r < rows; ++r) ref->dequantize_row(t->data + static_cast<size_t>(r) * rb, out.data() + r * ne0, ne0);
  return report(write_file_atomic(a.output, out.data(), out.size() * sizeof(float)));
}

}  // namespace

void register_tensor(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<TensorArgs>();
  CLI::App* c = app.add_subcommand("tensor", "Write one tensor dequantized to float32");
  c->add_option("--model,-m", a->model, "GGUF model file")->required();
  c->add_option("--name", a->name, "Tensor name, e.g. blk.0.attn_q.weight")->required();
  c->add_option("--output,-o", a->output, "Output file (raw little-endian float32)")->required();
  c->callback([a, exit_code] { *exit_code = run_tensor(*a); });
}

}  // namespace hymt::cli
