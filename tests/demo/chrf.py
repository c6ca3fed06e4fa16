# chrf.py: chrF (Popović 2015) written from its definition: character n-grams of orders 1..6 with
# whitespace removed, per-order precision and recall averaged over the orders that exist on both
# sides, combined as F-beta with beta = 2 (recall weighted twice). Scores are 0..100. Corpus scores
# sum the n-gram statistics over all sentences first. Checked against sacreBLEU 2.6.0's outputs
# (shared/data/sacrebleu-vectors) by chrf_test.py. A reference without n-grams of some order also
# drops the hypothesis's n-grams of that order from the statistics.
from collections import Counter

CHAR_ORDER = 6
BETA = 2.0


def _ngrams(text, n):
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def stats(hyp, ref):
    """[hyp n-grams, ref n-grams, matches] for n = 1..6, flattened (18 numbers)."""
    h = "".join(hyp.split())
    r = "".join(ref.split())
    out = []
    for n in range(1, CHAR_ORDER + 1):
        hc, rc = _ngrams(h, n), _ngrams(r, n)
        # A reference too short to have n-grams of this order contributes no hypothesis n-grams
        # either (sacreBLEU's rule; it matters only for corpus sums).
        out += [sum(hc.values()) if rc else 0, sum(rc.values()), sum((hc & rc).values())]
    return out


def score_from_stats(st):
    eps = 1e-16
    prec_sum = rec_sum = 0.0
    orders = 0
    for n in range(CHAR_ORDER):
        n_hyp, n_ref, n_match = st[3 * n:3 * n + 3]
        if n_hyp > 0 and n_ref > 0:
            prec_sum += n_match / n_hyp
            rec_sum += n_match / n_ref
            orders += 1
    if orders == 0:
        return 0.0
    p, r = prec_sum / orders, rec_sum / orders
    b2 = BETA * BETA
    if p + r < eps:
        return 0.0
    return 100.0 * (1 + b2) * p * r / (b2 * p + r)


def sentence_chrf(hyp, ref):
    return score_from_stats(stats(hyp, ref))


def corpus_chrf(hyps, refs):
    tot = [0] * (3 * CHAR_ORDER)
    for h, r in zip(hyps, refs):
        tot = [a + b for a, b in zip(tot, stats(h, r))]
    return score_from_stats(tot)
