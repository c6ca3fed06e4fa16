// libretranslate_api.h: the LibreTranslate-compatible routes.
#pragma once

#include "http_server.h"
#include "service.h"

namespace hymt::server {

void add_libretranslate_routes(HttpServer& http, Service& svc);

}  // namespace hymt::server
