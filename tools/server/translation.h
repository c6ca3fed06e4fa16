// translation.h: what the translation APIs (LibreTranslate's and the native one) share: language
// fields, documents from request text or an uploaded file, and running a document job on the
// engine in the calling HTTP thread with the request's cancel flag (timeouts, shutdown). The
// translation policy itself (prompts, checks, retries, documents) is src/translate's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "json_fields.h"
#include "service.h"
#include "translate/document_job.h"
#include "translate/documents/charset.h"
#include "translate/documents/document.h"

namespace hymt::server {

// A language field: a code, FLORES code or name (LibreTranslate's "zt" and "pb" too), "auto" when
// allowed (-> nullptr). Unknown -> 400 naming the field.
const Language* language_field(const std::string& field, const std::string& value, bool allow_auto);

// UTF-8 text (or file bytes in any charset translate reads) parsed as a document; a malformed one
// is a 400 naming `field`.
struct ParsedDoc {
  std::unique_ptr<doc::Document> doc;
  doc::Charset charset = doc::Charset::kUtf8;
};
ParsedDoc parse_doc(const std::string& bytes, doc::Format f, const std::string& field);

// The extensions of the files the server translates (.txt .srt .vtt .html .md .json .yaml and
// their aliases).
const std::vector<std::string>& file_extensions();
// An uploaded file's name: its last path component (the client's name, nothing more), or a 400
// naming the field "file" when its extension is not one of file_extensions().
std::string uploaded_file_name(const httplib::MultipartFormData& f);

// Runs the job in this thread. A cancelled one (its admission timed out, or the server stopped)
// becomes a 504 or a 503; other failures a 400 or 500 from their status.
JobResult run_job(Service& svc, const doc::Document& d, JobOptions jo, const Admission& adm);

// True if the text has something to translate (not only white space).
bool has_text(const std::string& s);

// Tokens of a job, for usage and the log line.
struct JobUsage {
  int64_t prompt = 0, completion = 0, cached = 0;
};
JobUsage job_usage(const JobResult& jr);

// Up to n other translations of the document `jo` translated as `best`: sampled with the model
// cards' settings and seeds 1..n, duplicates (and copies of best) dropped, so fewer may come back.
// Their tokens are added to *usage.
std::vector<std::string> sample_alternatives(Service& svc, const doc::Document& d, const JobOptions& jo,
                                             const std::string& best, int n, const Admission& adm, JobUsage* usage);

}  // namespace hymt::server
