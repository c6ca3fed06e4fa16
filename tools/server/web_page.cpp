// web_page.cpp: serves the embedded page (embedded_files.h).
#include "web_page.h"

#include <string>

#include "embedded_files.h"

namespace hymt::server {

namespace {

const char* content_type(const std::string& name) {
  auto ends = [&](const char* ext) {
    const std::string e = ext;
    return name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

// The page's script and style are its own files; it talks only to this server. No inline script or
// style, no frames, no plugins, no other origin. blob: images are not needed (downloads are links).
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

void serve_file(const EmbeddedFile& f, const httplib::Request& req, httplib::Response& res) {
  res.set_header("ETag", f.etag);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  const std::string name = f.name;
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".html") == 0) {
    res.set_header("Content-Security-Policy", kCsp);
    res.set_header("X-Frame-Options", "DENY");
  }
  // If-None-Match may list several tags (or *): any match means the browser's copy is current.
  const std::string inm = req.get_header_value("If-None-Match");
  if (!inm.empty() && (inm == "*" || inm.find(f.etag) != std::string::npos)) {
    res.status = 304;
    return;
  }
  res.set_content(reinterpret_cast<const char*>(f.data), f.size, content_type(name));
}

}  // namespace

void add_web_routes(HttpServer& http) {
  for (const EmbeddedFile& f : embedded_files()) {
    const EmbeddedFile* fp = &f;
    auto handler = [fp](const httplib::Request& q, httplib::Response& r, Call&) { serve_file(*fp, q, r); };
    const std::string name = f.name;
    // The page needs no key and no model: it shows the loading state and asks for a key itself.
    http.add({"GET", "/" + name, Dialect::kLibre, false, false, handler});
    if (name == "index.html") http.add({"GET", "/", Dialect::kLibre, false, false, handler});
  }
}

}  // namespace hymt::server
