// native_api.h: POST /v1/translate, everything `hymt translate` does, over HTTP.
#pragma once

#include "http_server.h"
#include "service.h"

namespace hymt::server {

void add_native_routes(HttpServer& http, Service& svc);

}  // namespace hymt::server
