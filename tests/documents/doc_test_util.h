// doc_test_util.h: helpers shared by the document tests: parse a document that must be valid, and
// list the texts of its units.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "translate/documents/document.h"

namespace hymt::doc::testing {

inline std::unique_ptr<Document> parse_ok(Format f, const std::string& s) {
  auto r = parse_document(f, s);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r.value()) : nullptr;
}

inline std::vector<std::string> texts(const Document& d) {
  std::vector<std::string> v;
  for (const Unit& u : d.units()) v.push_back(u.text);
  return v;
}

}  // namespace hymt::doc::testing
