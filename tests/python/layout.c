/* layout.c: prints the size and every field offset of the C API's structs as JSON, as the C
 * compiler lays them out from include/hymt/hymt.h, for python_test.py's `layout` case to compare
 * with the ctypes Structures of python/hymt/_native.py. Needs only the header, not the library. */
#include <stddef.h>
#include <stdio.h>

#include "hymt/hymt.h"

#define F(s, f) printf("%s\"%s\": %zu", first ? "" : ", ", #f, offsetof(s, f)), first = 0
#define BEGIN(s) printf("%s\"%s\": {\"size\": %zu, \"fields\": {", n++ ? ", " : "", #s, sizeof(s)), first = 1
#define END() printf("}}")

int main(void) {
  int n = 0, first;
  printf("{");
  BEGIN(hymt_language);
  F(hymt_language, struct_size); F(hymt_language, code); F(hymt_language, flores); F(hymt_language, english);
  F(hymt_language, chinese);
  END();
  BEGIN(hymt_model_params);
  F(hymt_model_params, struct_size); F(hymt_model_params, n_threads); F(hymt_model_params, n_ctx);
  F(hymt_model_params, max_seqs); F(hymt_model_params, kv_type); F(hymt_model_params, cache_mb);
  END();
  BEGIN(hymt_model_info);
  F(hymt_model_info, struct_size); F(hymt_model_info, name); F(hymt_model_info, family); F(hymt_model_info, n_vocab);
  F(hymt_model_info, n_layer); F(hymt_model_info, n_embd); F(hymt_model_info, n_ctx_train);
  END();
  BEGIN(hymt_glossary_entry);
  F(hymt_glossary_entry, source); F(hymt_glossary_entry, target);
  END();
  BEGIN(hymt_translate_params);
  F(hymt_translate_params, struct_size); F(hymt_translate_params, source_lang); F(hymt_translate_params, target_lang);
  F(hymt_translate_params, format); F(hymt_translate_params, context); F(hymt_translate_params, glossary);
  F(hymt_translate_params, n_glossary); F(hymt_translate_params, keep); F(hymt_translate_params, n_keep);
  F(hymt_translate_params, glossary_file); F(hymt_translate_params, formatted); F(hymt_translate_params, sampling);
  F(hymt_translate_params, temperature); F(hymt_translate_params, top_p); F(hymt_translate_params, top_k);
  F(hymt_translate_params, repeat_penalty); F(hymt_translate_params, seed); F(hymt_translate_params, loop_guard);
  F(hymt_translate_params, max_tokens); F(hymt_translate_params, checks); F(hymt_translate_params, retry);
  F(hymt_translate_params, segment_tokens); F(hymt_translate_params, doc_context); F(hymt_translate_params, on_text);
  F(hymt_translate_params, on_restart); F(hymt_translate_params, on_segment); F(hymt_translate_params, user_data);
  F(hymt_translate_params, style); F(hymt_translate_params, preferences); F(hymt_translate_params, n_preferences);
  F(hymt_translate_params, delimiters); F(hymt_translate_params, structured_format);
  F(hymt_translate_params, prompt_family);
  END();
  BEGIN(hymt_segment);
  F(hymt_segment, struct_size); F(hymt_segment, where); F(hymt_segment, source); F(hymt_segment, output);
  F(hymt_segment, source_lang); F(hymt_segment, n_prompt_tokens); F(hymt_segment, n_output_tokens);
  F(hymt_segment, n_cached_tokens); F(hymt_segment, prefill_ms); F(hymt_segment, decode_ms);
  F(hymt_segment, confidence); F(hymt_segment, n_pieces); F(hymt_segment, retried); F(hymt_segment, kept_source);
  F(hymt_segment, n_problems);
  END();
  printf("}\n");
  return 0;
}
