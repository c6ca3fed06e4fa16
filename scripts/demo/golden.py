# golden.py: the demo model's golden files and its end-of-training check. golden_logits.f32 holds
# PyTorch's logits (computed in float64 from the trained float32 weights, stored as little-endian
# float32 rows) at chosen positions of one training sequence per direction; golden.json says which
# ids and positions they belong to and lists the test sentences (prompt and target ids computed by
# the reference tokenizer), so CI needs neither torch nor node.
import concurrent.futures
import json
import os
import subprocess

import numpy as np

# Sentences stored with their ids: every 10th training line of each direction (the quality table's
# sample); every 30th (10 per direction) are the end-to-end test sentences ("e2e": true).
STORED_EVERY = 10
E2E_EVERY = 30


def golden_positions(n_prompt, n_target):
    """Positions of the sequence prompt + target[:-1] whose logits are stored: the start, the middle
    of the prompt, the last prompt token (predicts the first target token), the first target token,
    the middle of the target and the last position (predicts EOS)."""
    last = n_prompt + n_target - 2
    return sorted({0, 1, n_prompt // 2, n_prompt - 1, n_prompt, n_prompt - 1 + n_target // 2, last})


def write_goldens(net, exs, special, out_dir):
    import torch

    seqs = []
    for d in sorted({e["dir"] for e in exs}, key=lambda d: [e["dir"] for e in exs].index(d)):
        # The shortest sequence of each direction keeps `hymt logits` in the test quick.
        e = min((e for e in exs if e["dir"] == d), key=lambda e: (len(e["prompt_ids"]) + len(e["target_ids"]), e["line"]))
        seqs.append(e)
    net64 = net.double()
    rows, entries = [], []
    with torch.no_grad():
        for e in seqs:
            ids = e["prompt_ids"] + e["target_ids"][:-1]
            pos = golden_positions(len(e["prompt_ids"]), len(e["target_ids"]))
            logits = net64(torch.tensor([ids]))[0].numpy()
            entries.append({"dir": e["dir"], "line": e["line"], "ids": ids, "positions": pos,
                            "first_row": sum(len(x["positions"]) for x in entries)})
            rows.append(logits[pos])
    net.float()
    table = np.concatenate(rows).astype("<f4")
    table.tofile(os.path.join(out_dir, "golden_logits.f32"))
    sentences = [{"dir": e["dir"], "line": e["line"], "e2e": e["line"] % E2E_EVERY == 0, "src": e["src"],
                  "tgt": e["tgt"], "prompt": e["prompt"], "prompt_ids": e["prompt_ids"], "target_ids": e["target_ids"]}
                 for e in exs if e["line"] % STORED_EVERY == 0]
    gold = {
        "about": "PyTorch reference for models/demo/hy-mt-demo.gguf: logits rows (float64 forward of the "
                 "trained weights, stored as f32) in golden_logits.f32, and test sentences with reference "
                 "tokenizer ids. Written by scripts/train-demo-model.",
        "n_vocab": int(table.shape[1]), "n_rows": int(table.shape[0]), "special_ids": special,
        "logits": entries, "sentences": sentences,
    }
    with open(os.path.join(out_dir, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(gold, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return {"logit_rows": int(table.shape[0]), "sentences": len(sentences)}


def generate(hymt, gguf, prompt_ids, n, threads=1):
    """Greedy continuation through `hymt generate` (stops after EOS, which is included)."""
    r = subprocess.run([hymt, "generate", "--model", gguf, "--ids", ",".join(map(str, prompt_ids)), "-n", str(n),
                        "--threads", str(threads)], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("hymt generate failed (%d): %s" % (r.returncode, r.stderr))
    out = r.stdout.strip()
    return [int(x) for x in out.split(",")] if out else []


def greedy_all(hymt, gguf, exs, threads=2, extra=4):
    """Greedy outputs of every example (prompt_ids), `threads` processes at a time."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        futs = [pool.submit(generate, hymt, gguf, e["prompt_ids"], len(e["target_ids"]) + extra) for e in exs]
        return [f.result() for f in futs]


def greedy_check(hymt, gguf, exs, threads=2):
    outs = greedy_all(hymt, gguf, exs, threads)
    by_dir = {}
    failed = []
    for e, o in zip(exs, outs):
        ok = o == e["target_ids"]
        d = by_dir.setdefault(e["dir"], [0, 0])
        d[0] += ok
        d[1] += 1
        if not ok:
            failed.append("%s:%d" % (e["dir"], e["line"]))
    return {"exact": sum(v[0] for v in by_dir.values()), "total": len(exs),
            "by_direction": {k: "%d/%d" % tuple(v) for k, v in by_dir.items()}, "failed": failed}
