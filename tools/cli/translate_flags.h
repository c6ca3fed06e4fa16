// translate_flags.h: the `hymt translate` flags for prompts, decoding,
// glossary, context and output checks, kept apart from the document flow in
// cmd_translate.cpp. add_translation_flags() declares them on a CLI11
// subcommand; apply_translation_flags() validates them, loads the glossary and
// the context (text, or @FILE) and fills a TranslateOptions template (errors: invalid argument
// -> exit 2, missing or malformed files -> exit 3 with the file and line).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "translate/translator.h"

namespace hymt::cli {

struct TranslationFlags {
  // Decoding: a preset, then individual knobs that override it.
  std::string sampling = "greedy";  // "greedy" | "official"
  std::optional<double> temperature, top_p, repeat_penalty;
  std::optional<int> top_k;
  std::optional<uint64_t> seed;
  bool no_loop_guard = false;
  // Glossary and context.
  std::string glossary_file;
  std::vector<std::string> terms;  // "SRC=TGT"
  std::vector<std::string> keep;
  std::string context;  // the text, or @FILE
  // Hy-MT2 instructions.
  std::string style;
  std::vector<std::string> preferences;
  bool delimiters = false;
  std::string structured;
  bool formatted = false;
  // Checks.
  bool no_checks = false;
  std::optional<double> min_confidence;
  bool no_retry = false;
  bool show_prompt = false;
};

void add_translation_flags(CLI::App* app, TranslationFlags* f);

// Fills the decoding, glossary, context, instruction and check fields of *opt
// (and on_prompt for
// --show-prompt, which prints each rendered prompt to stderr).
Status apply_translation_flags(const TranslationFlags& f, TranslateOptions* opt);

}  // namespace hymt::cli
