// cli_signals.cpp: the SIGINT/SIGTERM/SIGHUP handler of file-writing commands (cli_signals.h). It
// only calls async-signal-safe functions: the temp-file table's unlink loop, then raise(2).
#include "cli_signals.h"

#include <signal.h>

#include "io/file_util.h"

namespace hymt::cli {

namespace {

extern "C" void on_stop_signal(int sig) {
  remove_temp_files_for_signal();
  // SA_RESETHAND put the default action back on entry; the re-raised signal is blocked until this
  // handler returns, then ends the process as if the handler had never been there.
  raise(sig);
}

}  // namespace

void remove_temp_files_on_signals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old = {};
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction sa = {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    // Block the other stop signals while one is handled, so one cleanup runs at a time.
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sa.sa_flags = SA_RESETHAND;
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace hymt::cli
