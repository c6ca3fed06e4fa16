// embedded_files.h: files compiled into the binary at build time (cmake/embed_files.cmake writes
// the definitions from tools/server/web/), so the web page needs no files beside the binary.
#pragma once

#include <cstddef>
#include <span>

namespace hymt::server {

struct EmbeddedFile {
  const char* name;           // relative to tools/server/web, e.g. "app.js"
  const unsigned char* data;  // size bytes (and a 0 after them)
  size_t size;
  const char* etag;           // a strong ETag, quotes included
};

std::span<const EmbeddedFile> embedded_files();

}  // namespace hymt::server
