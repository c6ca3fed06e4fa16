// main.cpp: the `hymt` command: subcommand registration and error handling. Every subcommand is a
// thin layer over the library; parse errors exit 2, library errors exit with their mapped code.
#include <map>
#include <cerrno>
#include <cstdlib>

#include "cli_common.h"
#include "hymt_commit.h"

namespace hymt::cli {

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

int main(int argc, char** argv) {
  using namespace hymt::cli;
  CLI::App app{"hymt: offline translation engine for Tencent HY-MT models"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("hymt ") + HYMT_GIT_COMMIT);
  int exit_code = kExitOk;
  register_info(app, &exit_code);
  register_logits(app, &exit_code);
  register_tensor(app, &exit_code);
  register_generate(app, &exit_code);
  register_gen_model(app, &exit_code);
  register_tokenize(app, &exit_code);
  register_detokenize(app, &exit_code);
  register_bench(app, &exit_code);
  register_quantize(app, &exit_code);
  register_convert(app, &exit_code);
  register_translate(app, &exit_code);
  register_languages(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "hymt: out of memory\n");
    return kExitOther;
  }
  return exit_code;
}
