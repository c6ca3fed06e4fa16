// cli_common.cpp: the helpers every subcommand shares (cli_common.h): status reporting with its
// exit-code mapping, the --kv-type and --threads options, the checkpoint-folder check of --model,
// the "did you mean" suggestions for mistyped names, and parsing of --ids lists.
#include "cli_common.h"

#include <sched.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <utility>

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
  // A plain string option: CLI11's CheckedTransformer printed "ENUM:value in {f16->,f32-> }".
  // The callback's ValidationError reaches main's ParseError handler as is (exit 2).
  const std::string dflt = kv_type_name(*kv);
  return c
      ->add_option_function<std::string>(
          "--kv-type",
          [kv](const std::string& v) {
            std::string l = v;
            std::transform(l.begin(), l.end(), l.begin(), [](unsigned char ch) { return std::tolower(ch); });
            if (l == "f16")
              *kv = KvType::kF16;
            else if (l == "f32")
              *kv = KvType::kF32;
            else
              throw CLI::ValidationError("--kv-type must be f16 or f32, got '" + v + "'");
          },
          "KV-cache element type (default " + dflt + "; f32 keeps attention exact)")
      ->type_name("f16|f32");
}

namespace {

// Reads the first integer of a sysfs file; false when it is missing or unreadable.
bool read_sys_int(const std::string& path, long* v) {
  std::ifstream in(path);
  return static_cast<bool>(in >> *v);
}

}  // namespace

int default_threads() {
  static const int n = [] {
    const int fallback = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return fallback;
    std::set<std::pair<long, long>> cores;  // (physical_package_id, core_id)
    int allowed = 0;
    bool topology = true;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (!CPU_ISSET(cpu, &set)) continue;
      ++allowed;
      const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
      long pkg = 0, core = 0;
      if (read_sys_int(dir + "physical_package_id", &pkg) && read_sys_int(dir + "core_id", &core))
        cores.insert({pkg, core});
      else
        topology = false;
    }
    if (allowed == 0) return fallback;
    return topology ? static_cast<int>(cores.size()) : allowed;
  }();
  return n;
}

CLI::Option* add_threads_option(CLI::App* c, int* threads, const std::string& names, const std::string& what) {
  *threads = default_threads();
  return c->add_option_function<int>(
      names,
      [threads](const int& v) {
        if (v <= 0) throw CLI::ValidationError("--threads must be at least 1, got " + std::to_string(v));
        *threads = v;
      },
      what + " (default " + std::to_string(*threads) + ": the physical cores this process may use)");
}

Status check_model_path(const std::string& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_directory(path, ec)) return Status::ok_status();
  bool checkpoint = std::filesystem::exists(std::filesystem::path(path) / "config.json", ec);
  for (auto it = std::filesystem::directory_iterator(path, ec); !checkpoint && !ec && it != end(it); it.increment(ec))
    checkpoint = it->path().extension() == ".safetensors";
  if (!checkpoint) return Status::ok_status();  // the loader says "not a regular file"
  return not_found(path + " is a Hugging Face checkpoint folder, not a GGUF model; convert it first: hymt convert " +
                   path + " out.gguf");
}

size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours
  // ("--hpy" is one edit from "--hyp"), over three rolling rows.
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

namespace {

// The closest candidate to `typed`, or "" when none is close: within 1 edit for names of up to 4
// characters, 2 up to 8, 3 beyond (so "--x" suggests nothing rather than an unrelated flag).
std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
  const size_t limit = typed.size() <= 4 ? 1 : typed.size() <= 8 ? 2 : 3;
  std::string best;
  size_t best_d = limit + 1;
  for (const std::string& c : candidates) {
    const size_t d = edit_distance(typed, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

std::string command_path(const CLI::App* a) {
  std::string s;
  for (; a; a = a->get_parent()) s = a->get_parent() ? " " + a->get_name() + s : "hymt" + s;
  return s;
}

}  // namespace

bool report_unknown_names(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* cur = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;  // the rest are positional values
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      const std::string name =
          arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
      // Only the chosen subcommand's names: CLI11 accepts no parent option after a subcommand.
      std::vector<std::string> known;
      for (const CLI::Option* o : cur->get_options())
        for (const std::string& l : o->get_lnames()) known.push_back(l);
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      const std::string best = closest(name, known);
      if (!best.empty())
        std::fprintf(stderr, "hymt: unknown option --%s; did you mean --%s?\n", name.c_str(), best.c_str());
      else
        std::fprintf(stderr, "hymt: unknown option --%s; see %s --help\n", name.c_str(), command_path(cur).c_str());
      return true;
    }
    if (arg.empty() || arg[0] == '-') continue;  // short options and negative numbers: CLI11's
    // A word where a subcommand is expected (the top level and `eval` take no other words).
    const auto subs = cur->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) continue;
    std::vector<std::string> names;
    const CLI::App* next = nullptr;
    for (const CLI::App* s : subs) {
      names.push_back(s->get_name());
      if (s->check_name(arg)) next = s;
    }
    if (next) {
      cur = next;
      continue;
    }
    const std::string best = closest(arg, names);
    if (!best.empty())
      std::fprintf(stderr, "hymt: unknown command '%s'; did you mean %s?\n", arg.c_str(), best.c_str());
    else
      std::fprintf(stderr, "hymt: unknown command '%s'; see %s --help\n", arg.c_str(), command_path(cur).c_str());
    return true;
  }
  return false;
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
