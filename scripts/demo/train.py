# train.py: the demo model's training loop: teacher forcing on prompt + target, cross-entropy on the
# target and EOS tokens only, AdamW at a constant rate until the training set is (nearly) memorized,
# then a short linear cool-down; batches of similar-length examples up to a token budget.
# Deterministic for a given seed, thread count and BLAS library. Progress is measured as
# teacher-forced sequence accuracy: a sequence whose every target token is the argmax is one that
# greedy decoding reproduces exactly.
import random
import sys
import time

import torch
import torch.nn.functional as F


def make_batches(exs, max_tokens, rng):
    """Lists of example indices: sorted by length, cut into batches of at most max_tokens padded
    tokens, the batch order shuffled."""
    order = sorted(range(len(exs)), key=lambda i: (len(exs[i]["prompt_ids"]) + len(exs[i]["target_ids"]), i))
    batches, cur, cur_max = [], [], 0
    for i in order:
        n = len(exs[i]["prompt_ids"]) + len(exs[i]["target_ids"]) - 1
        if cur and max(cur_max, n) * (len(cur) + 1) > max_tokens:
            batches.append(cur)
            cur, cur_max = [], 0
        cur.append(i)
        cur_max = max(cur_max, n)
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(exs, idx):
    """ids [B, T] (right-padded with 0), labels [B, T] (-100 outside target positions)."""
    seqs = [exs[i]["prompt_ids"] + exs[i]["target_ids"] for i in idx]
    T = max(len(s) for s in seqs) - 1
    ids = torch.zeros((len(idx), T), dtype=torch.long)
    labels = torch.full((len(idx), T), -100, dtype=torch.long)
    for b, i in enumerate(idx):
        s = seqs[b]
        ids[b, :len(s) - 1] = torch.tensor(s[:-1])
        p = len(exs[i]["prompt_ids"])
        labels[b, p - 1:len(s) - 1] = torch.tensor(exs[i]["target_ids"])
    return ids, labels


def batch_loss(model, ids, labels):
    h = model.hidden(ids)
    sel = labels != -100
    logits = model.logits(h[sel])
    return F.cross_entropy(logits, labels[sel]), logits, sel


@torch.no_grad()
def evaluate(model, exs, max_tokens):
    """(mean loss per target token, fraction of tokens that are argmax, fraction of sequences that
    are argmax at every target position)."""
    model.eval()
    tot_loss, tot_tok, ok_tok, ok_seq = 0.0, 0, 0, 0
    for idx in make_batches(exs, max_tokens, random.Random(0)):
        ids, labels = collate(exs, idx)
        loss, logits, sel = batch_loss(model, ids, labels)
        n = int(sel.sum())
        tot_loss += float(loss) * n
        tot_tok += n
        hit = torch.zeros_like(labels, dtype=torch.bool)
        hit[sel] = logits.argmax(-1) == labels[sel]
        ok_tok += int(hit.sum())
        ok_seq += int(((hit | ~sel).all(dim=1)).sum())
    model.train()
    return tot_loss / tot_tok, ok_tok / tot_tok, ok_seq / len(exs)


def train(model, exs, max_epochs, lr, max_tokens, seed, target_acc=0.98, cooldown_epochs=2, warmup_steps=50,
          weight_decay=0.0, minutes=0.0, log=sys.stderr):
    """Two phases. Phase 1: linear warm-up to `lr`, then constant `lr`, until the running sequence
    accuracy of an epoch (teacher-forced argmax on the training batches themselves, so free) reaches
    `target_acc`, or max_epochs - cooldown_epochs epochs have run. Phase 2: `cooldown_epochs` more
    epochs with the rate falling linearly to 2 % of `lr`, which sharpens the margins. Every decision
    is computed from the data, so the run is as deterministic as the arithmetic under it."""
    rng = random.Random(seed)
    params = [p for p in model.parameters()]
    opt = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.98), eps=1e-8, weight_decay=weight_decay)
    steps_per_epoch = len(make_batches(exs, max_tokens, random.Random(0)))
    t0 = time.time()
    history = []
    step = 0

    def epoch(rate_of_step):
        nonlocal step
        run, ntok, ok_seq, nseq = 0.0, 0, 0, 0
        for k, idx in enumerate(make_batches(exs, max_tokens, rng)):
            rate = rate_of_step(k)
            for g in opt.param_groups:
                g["lr"] = rate
            ids, labels = collate(exs, idx)
            loss, logits, sel = batch_loss(model, ids, labels)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
            with torch.no_grad():
                hit = torch.zeros_like(labels, dtype=torch.bool)
                hit[sel] = logits.argmax(-1) == labels[sel]
                ok_seq += int(((hit | ~sel).all(dim=1)).sum())
                nseq += len(idx)
            n = int(sel.sum())
            run += float(loss) * n
            ntok += n
        return run / ntok, ok_seq / nseq

    def record(ep, phase, loss, acc):
        rec = {"epoch": ep, "phase": phase, "train_loss": round(loss, 5), "running_seq_acc": round(acc, 4),
               "seconds": round(time.time() - t0, 1)}
        history.append(rec)
        print("train: " + " ".join("%s=%s" % kv for kv in rec.items()), file=log, flush=True)

    ep = 0
    while ep < max_epochs - cooldown_epochs:
        loss, acc = epoch(lambda k: lr * min(1.0, (step + 1) / warmup_steps))
        ep += 1
        record(ep, "constant", loss, acc)
        if acc >= target_acc:
            break
        per_epoch = (time.time() - t0) / ep
        if minutes > 0 and time.time() - t0 + (cooldown_epochs + 1) * per_epoch > minutes * 60:
            print("train: time budget reached after %d epochs" % ep, file=log, flush=True)
            break
    total = cooldown_epochs * steps_per_epoch
    first = step
    for _ in range(cooldown_epochs):
        loss, acc = epoch(lambda k: lr * max(0.02, 1.0 - (step - first) / total))
        ep += 1
        record(ep, "cooldown", loss, acc)
    final = evaluate(model, exs, max_tokens)
    history.append({"final_eval_loss": round(final[0], 5), "final_token_acc": round(final[1], 5),
                    "final_seq_acc": round(final[2], 5)})
    print("train: final teacher-forced loss %.4f, token accuracy %.4f, sequence accuracy %.4f" % final,
          file=log, flush=True)
    return history
