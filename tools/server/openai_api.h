// openai_api.h: the OpenAI-compatible routes (chat completions, completions, models).
#pragma once

#include "http_server.h"
#include "service.h"

namespace hymt::server {

void add_openai_routes(HttpServer& http, Service& svc);

}  // namespace hymt::server
