/* translate.c: translate stdin with hymt's C API.
 *   cc translate.c $(pkg-config --cflags --libs hymt) -o translate
 *   echo "The cat sat on the mat." | ./translate model.gguf zh */
#include <hymt/hymt.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc != 3) return fprintf(stderr, "usage: %s MODEL.gguf TARGET_LANG < text\n", argv[0]), 2;
  static char text[1 << 20];
  size_t len = fread(text, 1, sizeof text, stdin);
  hymt_model* model = NULL;
  hymt_translator* tr = NULL;
  hymt_result* res = NULL;
  hymt_translate_params p;
  hymt_translate_params_init(&p, sizeof p);
  p.target_lang = argv[2];
  if (hymt_model_load(argv[1], NULL, &model) != HYMT_OK || hymt_translator_new(model, &tr) != HYMT_OK ||
      hymt_translate(tr, text, len, &p, &res) != HYMT_OK) {
    fprintf(stderr, "translate: %s\n", hymt_last_error());
    hymt_translator_free(tr), hymt_model_free(model);
    return 1;
  }
  const char* out = NULL;
  hymt_result_output(res, &out, NULL);
  fputs(out, stdout);
  if (!*out || out[strlen(out) - 1] != '\n') putchar('\n');
  hymt_result_free(res), hymt_translator_free(tr), hymt_model_free(model);
  return 0;
}
