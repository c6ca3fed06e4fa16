# tok.py: token ids of the demo model's texts, computed by the independent reference tokenizer
# (Hugging Face's Rust tokenizers, npm `tokenizers`, through tests/tokenizer/oracle.js), never by
# hymt. Chat prompts are assembled from the template's control-token ids and the encoded message
# text, which is what Hugging Face's apply_chat_template(tokenize=True) produces for them.
import json
import os
import subprocess

from data import ASSISTANT, BOS, EOS, USER

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ORACLE = os.path.join(REPO, "tests", "tokenizer", "oracle.js")
NODE_MODULES = os.path.join(REPO, "tests", "tokenizer", "node_modules")


def encode_texts(tokenizer_json, texts):
    """One id list per text (no special tokens added), in one node run."""
    env = dict(os.environ)
    env["NODE_PATH"] = NODE_MODULES
    payload = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts)
    r = subprocess.run(["node", ORACLE, "encode-jsonl", "rust", tokenizer_json], input=payload.encode(),
                       capture_output=True, env=env)
    if r.returncode != 0:
        raise SystemExit("tok: node oracle failed (run scripts/setup.sh for the npm packages):\n" +
                         r.stderr.decode(errors="replace"))
    out = [json.loads(line) for line in r.stdout.decode().split("\n") if line]
    if len(out) != len(texts):
        raise SystemExit("tok: oracle returned %d results for %d texts" % (len(out), len(texts)))
    return out


def special_ids(tokenizer_json):
    with open(tokenizer_json, encoding="utf-8") as f:
        tj = json.load(f)
    ids = {t["content"]: t["id"] for t in tj["added_tokens"]}
    return {"bos": ids[BOS], "user": ids[USER], "assistant": ids[ASSISTANT], "eos": ids[EOS]}


def encode_examples(tokenizer_json, exs):
    """Adds prompt_ids (BOS, User, prompt, Assistant) and target_ids (target, EOS) to every example."""
    sp = special_ids(tokenizer_json)
    enc = encode_texts(tokenizer_json, [e["prompt"] for e in exs] + [e["tgt"] for e in exs])
    n = len(exs)
    for i, e in enumerate(exs):
        e["prompt_ids"] = [sp["bos"], sp["user"]] + enc[i] + [sp["assistant"]]
        e["target_ids"] = enc[n + i] + [sp["eos"]]
    return sp
