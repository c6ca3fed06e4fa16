// main.cpp: the `hymt` command: subcommand registration and error handling. Every subcommand is a
// thin layer over the library; parse errors (and mistyped names, with a "did you mean") exit 2,
// library errors exit with their mapped code (cli_common.cpp holds the helpers they share).
#include <new>

#include "cli_common.h"
#include "hymt_commit.h"

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
  register_detect(app, &exit_code);
  register_eval(app, &exit_code);
  register_serve(app, &exit_code);
  // Mistyped commands and long options get a suggestion (CLI11 would report a missing --to first).
  if (report_unknown_names(app, argc, argv)) return kExitUsage;
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
