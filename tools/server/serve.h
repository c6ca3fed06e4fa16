// serve.h: `hymt serve`'s life cycle: listen at once (/health answers 503 while the model loads),
// load the model into an Engine on another thread, serve every API, and on SIGTERM or SIGINT stop
// accepting, give the requests in flight --grace seconds to finish (then cancel them) and return 0.
#pragma once

#include "service.h"

namespace hymt::server {

// Returns the process exit code: 0 after a clean shutdown, 3 when the model cannot be loaded,
// 4 when the address cannot be bound.
int run_server(const ServerOptions& opt);

}  // namespace hymt::server
