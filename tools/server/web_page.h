// web_page.h: GET / — the translator's web page (tools/server/web), compiled into the binary.
#pragma once

#include "http_server.h"

namespace hymt::server {

// "/" (index.html) and each asset at "/NAME", with its content type, a strong ETag (304 on
// If-None-Match), Cache-Control: no-cache (revalidate: a new binary serves a new page at once) and
// a Content-Security-Policy that allows only the page's own script, style and API.
void add_web_routes(HttpServer& http);

}  // namespace hymt::server
