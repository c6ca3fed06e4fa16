// cli_common.cpp: the helpers every subcommand shares (cli_common.h): status reporting with its
// exit-code mapping, the --kv-type option, and parsing of --ids lists.
#include "cli_common.h"

#include <cerrno>
#include <cstdlib>
#include <map>

#ifndef HYMT_DEFAULT_MODEL
#define HYMT_DEFAULT_MODEL ""
#endif

namespace hymt::cli {

std::string default_model() {
  if (const char* env = std::getenv("HYMT_MODEL"); env && *env) return env;
  return HYMT_DEFAULT_MODEL;
}

const char* const kDemoModelNotice =
    "using the bundled demo model, a test fixture that knows only its training sentences; for real "
    "translation pass --model with an official HY-MT GGUF (Tencent publishes them on Hugging Face, e.g. "
    "tencent/HY-MT1.5-1.8B-GGUF)";

int report(const Status& st) {
  if (st.ok()) return kExitOk;
  std::fprintf(stderr, "hymt: %s\n", st.message().c_str());
  switch (st.code()) {
    case StatusCode::kInvalidArgument: return kExitUsage;
    case StatusCode::kNotFound:
    case StatusCode::kCorruptFile:
    case StatusCode::kUnsupported: return kExitModel;
    case StatusCode::kIoError: return kExitIo;
    default: return kExitOther;
  }
}

CLI::Option* add_kv_type_option(CLI::App* c, KvType* kv) {
  static const std::map<std::string, KvType> names{{"f16", KvType::kF16}, {"f32", KvType::kF32}};
  const std::string dflt = kv_type_name(*kv);
  return c->add_option("--kv-type", *kv, "KV-cache element type: f16 or f32 (default " + dflt + ")")
      ->transform(CLI::CheckedTransformer(names, CLI::ignore_case));
}

Result<std::vector<int32_t>> parse_ids(const std::string& s) {
  std::vector<int32_t> ids;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string item = s.substr(i, j - i);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item.empty()) return invalid_argument("--ids: empty item in '" + s + "'");
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(item.c_str(), &end, 10);
    if (*end != '\0' || errno != 0 || v < 0 || v > 0x7fffffff)
      return invalid_argument("--ids: '" + item + "' is not a token id (a non-negative integer)");
    ids.push_back(static_cast<int32_t>(v));
    i = j + 1;
  }
  return ids;
}

}  // namespace hymt::cli
