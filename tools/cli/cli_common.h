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
// f32 keeps attention exact for numerics checks).
CLI::Option* add_kv_type_option(CLI::App* c, KvType* kv);

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
void register_eval(CLI::App& app, int* exit_code);       // cmd_eval.cpp
void register_serve(CLI::App& app, int* exit_code);  // cmd_serve.cpp (when built with the server)

// The model used without --model: $HYMT_MODEL, else the bundled demo model ("" if neither).
std::string default_model();
// The notice printed when the bundled demo model is used.
extern const char* const kDemoModelNotice;

}  // namespace hymt::cli
