// eval_run.h: `hymt eval run`: translate parallel test sets with a model and score them (eval_run.cpp).
#pragma once

#include <CLI/CLI.hpp>

namespace hymt::cli {

void register_eval_run(CLI::App& eval_cmd, int* exit_code);

}  // namespace hymt::cli
