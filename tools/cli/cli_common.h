// cli_common.h: shared pieces of the `hymt` command line: exit codes, error printing, id lists.
// Exit codes (documented in README): 0 success, 2 usage error, 3 model or input file error,
// 4 I/O error writing output, 5 output checks failed (translate), 1 anything else.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "core/status.h"
#include "kernels/kernels.h"

namespace hymt::cli {

constexpr int kExitOk = 0;
constexpr int kExitOther = 1;
constexpr int kExitUsage = 2;
constexpr int kExitModel = 3;
constexpr int kExitIo = 4;
constexpr int kExitChecks = 5;

// Prints "hymt: <message>" and maps the status to an exit code.
int report(const Status& st);

// "1,2,3" -> ids (each must be a non-negative 32-bit integer).
Result<std::vector<int32_t>> parse_ids(const std::string& s);

// --kv-type f16|f32: the KV cache's element type (f16 halves the cache's memory and bandwidth;
// f32 keeps attention exact for numerics checks). Help reads `--kv-type f16|f32`; another value is
// refused with "--kv-type must be f16 or f32, got 'x'" (exit 2).
CLI::Option* add_kv_type_option(CLI::App* c, KvType* kv);

// The number of physical cores this process may run on: distinct (physical_package_id, core_id)
// pairs of the CPUs in its affinity mask (sched_getaffinity), or the number of allowed CPUs when
// the topology cannot be read. At least 1. The default of every --threads flag.
int default_threads();

// A --threads option (names e.g. "--threads,-t") whose default is default_threads(); values <= 0
// are refused with "--threads must be at least 1, got N" (exit 2). `what` starts the help text.
CLI::Option* add_threads_option(CLI::App* c, int* threads, const std::string& names = "--threads,-t",
                                const std::string& what = "Threads");

// Refuses, before a model is opened, a --model that is a Hugging Face checkpoint folder (a
// directory with config.json or *.safetensors): the message tells to run `hymt convert DIR
// out.gguf` (a not-found status: exit 3). Any other path passes (the loader reports its errors).
Status check_model_path(const std::string& path);

// Before CLI11 parses: a mistyped subcommand or long option of the chosen subcommand gets
// "hymt: unknown command 'tranlate'; did you mean translate?" / "hymt: unknown option --too; did
// you mean --to?" (closest name by edit distance). Returns true (and prints) when argv has one.
bool report_unknown_names(const CLI::App& app, int argc, const char* const* argv);

// Edit distance (optimal string alignment: a swap of neighbours is one edit) of two strings.
size_t edit_distance(const std::string& a, const std::string& b);

// The subcommands; each registers its options and its callback, which sets *exit_code.
void register_info(CLI::App& app, int* exit_code);
void register_logits(CLI::App& app, int* exit_code);
void register_tensor(CLI::App& app, int* exit_code);
void register_generate(CLI::App& app, int* exit_code);
void register_gen_model(CLI::App& app, int* exit_code);
void register_tokenize(CLI::App& app, int* exit_code);
void register_detokenize(CLI::App& app, int* exit_code);
void register_bench(CLI::App& app, int* exit_code);
void register_quantize(CLI::App& app, int* exit_code);
void register_convert(CLI::App& app, int* exit_code);
void register_translate(CLI::App& app, int* exit_code);
void register_languages(CLI::App& app, int* exit_code);
void register_detect(CLI::App& app, int* exit_code);
void register_eval(CLI::App& app, int* exit_code);       // cmd_eval.cpp
void register_serve(CLI::App& app, int* exit_code);  // cmd_serve.cpp (when built with the server)

// The model used without --model: $HYMT_MODEL, else the bundled demo model ("" if neither).
std::string default_model();
// The notice printed when the bundled demo model is used.
extern const char* const kDemoModelNotice;

}  // namespace hymt::cli
