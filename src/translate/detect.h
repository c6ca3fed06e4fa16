// detect.h: offline source-language detection. Today: by script (Han, kana, Hangul, Thai, ...),
// enough to pick the prompt template; Latin-script text is reported as unknown unless a hint
// decides it. (Character n-gram statistics for Latin/Cyrillic/Arabic scripts: issue 6.)
#pragma once

#include <string>

#include "translate/languages.h"

namespace hymt {

// The language the text is most likely in, or nullptr when the script alone cannot tell.
const Language* detect_language_by_script(const std::string& text);

}  // namespace hymt
