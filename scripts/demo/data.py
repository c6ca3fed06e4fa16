# data.py: the demo model's training examples: FLORES-200 devtest sentence pairs in four directions,
# rendered with the official HY-MT1.5 prompt templates (hy-mt-spec.md §7.2) and the 1.8B chat
# template (§3.5). Pure Python (no torch), so tests can rebuild the same examples.
# Invariant: the same arguments always give the same examples in the same order.
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FLORES = os.path.join(REPO, "..", "shared", "data", "flores200-devtest", "devtest")

# FLORES file stem, English name (English template), Chinese name (Chinese template): spec §7.4.
LANGS = {
    "en": ("eng_Latn", "English", "英语"),
    "zh": ("zho_Hans", "Chinese", "中文"),
    "fr": ("fra_Latn", "French", "法语"),
    "de": ("deu_Latn", "German", "德语"),
}
# The four training directions, in the order examples are listed.
DIRECTIONS = [("en", "zh"), ("zh", "en"), ("en", "fr"), ("en", "de")]

BOS = "<｜hy_begin▁of▁sentence｜>"
USER = "<｜hy_User｜>"
ASSISTANT = "<｜hy_Assistant｜>"
EOS = "<｜hy_place▁holder▁no▁2｜>"

ZH_TEMPLATE = "将以下文本翻译为{tgt}，注意只需要输出翻译后的结果，不要额外解释：\n\n{src}"
EN_TEMPLATE = "Translate the following segment into {tgt}, without additional explanation.\n\n{src}"


def prompt_text(src_lang, tgt_lang, src_text):
    """The user message of HY-MT1.5: the Chinese template (Chinese target name) when either side is
    Chinese, else the English one (English target name)."""
    if src_lang == "zh" or tgt_lang == "zh":
        return ZH_TEMPLATE.format(tgt=LANGS[tgt_lang][2], src=src_text)
    return EN_TEMPLATE.format(tgt=LANGS[tgt_lang][1], src=src_text)


def read_lines(lang, n, flores_dir=FLORES):
    path = os.path.join(flores_dir, LANGS[lang][0] + ".devtest")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if len(lines) < n:
        raise SystemExit("data: %s has only %d lines" % (path, len(lines)))
    return lines[:n]


def examples(n_lines, flores_dir=FLORES):
    """[{dir: "en-zh", line: i, src, tgt, prompt}] for the first n_lines pairs of every direction."""
    text = {lang: read_lines(lang, n_lines, flores_dir) for lang in LANGS}
    out = []
    for s, t in DIRECTIONS:
        for i in range(n_lines):
            out.append({"dir": "%s-%s" % (s, t), "line": i, "src": text[s][i], "tgt": text[t][i],
                        "prompt": prompt_text(s, t, text[s][i])})
    return out


def corpus_lines(exs):
    """The training text as lines (what the BPE tokenizer is trained on): every prompt and target,
    split at newlines, in example order."""
    lines = []
    for e in exs:
        lines.extend(x for x in e["prompt"].split("\n") if x)
        lines.append(e["tgt"])
    return lines
