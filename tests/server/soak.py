#!/usr/bin/env python3
"""soak.py: a few minutes of mixed load on `hymt serve`, reporting the server's RSS over time.

A measurement, not a timed test: it prints a table of (seconds, requests done, RSS MiB) every few
seconds and a summary (RSS growth from the first sample after warm-up to the last). It fails only
when the server dies, answers something other than 200 or 429, or exits non-zero on SIGTERM.
8 client threads send chat completions (streamed and not, some cut off mid-stream), LibreTranslate
and native translations, and /metrics scrapes, all bounded in count by --seconds.

    soak.py --hymt build/bin/hymt [--seconds 120] [--clients 8]
"""
import argparse
import json
import os
import random
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, check, sse_events  # noqa: E402

TEXTS = ["The cat sleeps on the sofa.", "Where is the train station?", "Prices rose sharply in the second quarter.",
         "Scientists say the explosion was caused by the gas.", "She wrote a letter to her brother."]


def one(s, rng):
    kind = rng.randrange(6)
    t = rng.choice(TEXTS)
    if kind == 0:
        st, _, _ = s.request("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": t}],
                                                              "max_tokens": 32})
    elif kind == 1:
        c, r = s.stream("/v1/chat/completions", {"messages": [{"role": "user", "content": t}], "max_tokens": 32,
                                                 "stream": True})
        st = r.status
        cut = rng.random() < 0.3  # a client that leaves mid-stream
        for n, _ in enumerate(sse_events(r)):
            if cut and n == 2:
                c.sock.shutdown(socket.SHUT_RDWR)
                break
        c.close()
    elif kind == 2:
        st, _, _ = s.request("POST", "/translate", {"q": [t, rng.choice(TEXTS)], "source": "en", "target": "de"})
    elif kind == 3:
        st, _, _ = s.request("POST", "/v1/translate", {"text": t + "\n\n" + rng.choice(TEXTS), "target": "zh"})
    elif kind == 4:
        st, _, _ = s.request("GET", "/metrics")
    else:
        st, _, _ = s.request("POST", "/v1/completions", {"prompt": t, "max_tokens": 24, "ignore_eos": True})
    return st


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--clients", type=int, default=8)
    a = ap.parse_args()
    with Server(a.hymt, "--parallel", "4", "--max-queue", "16") as s:
        end = time.time() + a.seconds
        counts = {"done": 0, "busy": 0}
        bad = []
        lock = threading.Lock()

        def client(k):
            rng = random.Random(k)
            while time.time() < end and not bad:
                try:
                    st = one(s, rng)
                except OSError as e:
                    st = "error %s" % e
                with lock:
                    if st == 200:
                        counts["done"] += 1
                    elif st == 429:
                        counts["busy"] += 1
                    else:
                        bad.append(st)

        ts = [threading.Thread(target=client, args=(k,)) for k in range(a.clients)]
        t0 = time.time()
        for t in ts:
            t.start()
        samples = []
        print("%8s %10s %8s %9s" % ("seconds", "requests", "429s", "RSS MiB"), flush=True)
        while any(t.is_alive() for t in ts):
            check(s.proc.poll() is None, "the server died:\n" + "\n".join(s.log[-30:]))
            rss = s.rss_kb() / 1024.0
            samples.append((time.time() - t0, counts["done"], rss))
            print("%8.0f %10d %8d %9.1f" % (samples[-1][0], counts["done"], counts["busy"], rss), flush=True)
            for t in ts:
                t.join(max(0.0, 5 - (time.time() - t0 - samples[-1][0])))
        check(not bad, "unexpected answers: %r" % bad[:10])
        warm = [x for x in samples if x[0] >= min(20.0, a.seconds / 4)] or samples
        print("soak: %d requests (%d answered 429) in %.0f s; RSS %.1f MiB after warm-up, %.1f MiB at the end "
              "(%+.1f MiB), peak %.1f MiB" % (counts["done"], counts["busy"], time.time() - t0, warm[0][2],
                                              samples[-1][2], samples[-1][2] - warm[0][2],
                                              max(x[2] for x in samples)))
        m = s.metrics()
        print(json.dumps({k: v for k, v in m.items() if "bucket" not in k}, indent=0)[:2000])


if __name__ == "__main__":
    main()
