// html_unavailable.cpp: parse_html for builds without libgumbo (only the aarch64 cross build that
// tests the ARM kernels; see CMakeLists.txt). Every other format still works there; HTML input is
// refused with a message instead of being handled by a weaker parser.
#include "translate/documents/formats.h"

namespace hymt::doc {

Result<std::unique_ptr<Document>> parse_html(const std::string&) {
  return unsupported("this hymt was built without HTML support (libgumbo was not found at build time)");
}

}  // namespace hymt::doc
