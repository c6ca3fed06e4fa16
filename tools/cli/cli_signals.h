// cli_signals.h: SIGINT/SIGTERM/SIGHUP in a command that writes files. The handler unlinks the
// temporary files in progress (io/file_util.h's table) and re-raises the signal with its default
// action, so the shell still sees death by that signal (exit status 130 / 143) and the old output,
// which only the final rename replaces, stays as it was. The server keeps its own handling.
#pragma once

namespace hymt::cli {

// Installs the handler for SIGINT, SIGTERM and SIGHUP, leaving alone any the process was started
// with ignored (nohup, background jobs). Call at the start of a file-writing command; idempotent.
void remove_temp_files_on_signals();

}  // namespace hymt::cli
