// job_masks_test.cpp: the document driver shows users their own placeholders, never the mask
// tokens ({1}, {2}) the model sees in their place: in the rolling context passed to the next
// segment's prompt, and in the problem messages and segment texts of the result.
#include <gtest/gtest.h>

#include "translate/document_job.h"
#include "translate/documents/document.h"

#include "doc_test_util.h"

using namespace hymt;
using namespace hymt::doc;
using hymt::doc::testing::parse_ok;

namespace {

// Echoes each segment, records the contexts, and reports a placeholder problem in the words the
// translator's checks use, naming whatever mask token the segment has.
struct Recorder {
  std::vector<std::string> contexts, sources;
  Result<SegmentResult> operator()(const std::string& s, const TranslateOptions& o) {
    contexts.push_back(o.context);
    sources.push_back(s);
    SegmentResult r;
    r.source = s;
    r.output = s;
    const size_t b = s.find('{'), e = s.find('}');
    if (b != std::string::npos && e != std::string::npos)
      r.problems.push_back({"glossary_miss", "the placeholder " + s.substr(b, e + 1 - b) + " is doubtful"});
    return r;
  }
};

size_t bytes(const std::string& s) { return s.size(); }

TEST(DocumentJobMasks, ContextAndMessagesUseTheUsersPlaceholders) {
  auto d = parse_ok(Format::kMarkdown, "Hello <b>Tom</b>, welcome.\n\nThe <i>next</i> step is easy.\n");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->units().size(), 2u);
  ASSERT_FALSE(d->units()[0].masks.empty());  // the model sees {1}... in place of <b>
  ASSERT_FALSE(d->units()[1].isolated);
  Recorder rec;
  JobOptions jo;
  jo.context_segments = 2;
  auto r = translate_document(*d, std::ref(rec), bytes, jo);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(rec.contexts.size(), 2u);
  EXPECT_NE(rec.sources[0].find("{1}"), std::string::npos);  // masked for the model ...
  EXPECT_EQ(rec.contexts[1], "Hello <b>Tom</b>, welcome.");  // ... but not in the next context
  EXPECT_EQ(rec.contexts[1].find("{1}"), std::string::npos);
  ASSERT_FALSE(r->units[0].problems.empty());
  EXPECT_EQ(r->units[0].problems[0].message, "the placeholder <b> is doubtful");
  ASSERT_EQ(r->units[0].segments.size(), 1u);
  EXPECT_EQ(r->units[0].segments[0].source, "Hello <b>Tom</b>, welcome.");
  EXPECT_EQ(r->units[0].segments[0].problems[0].message, "the placeholder <b> is doubtful");
  EXPECT_EQ(r->units[1].problems[0].message, "the placeholder <i> is doubtful");
}

}  // namespace
