#!/usr/bin/env python3
"""server_test.py: `hymt serve` from outside, over raw HTTP (the standard library's http.client):
every limit and fault path of the server issue, concurrency against one-by-one results, prefix-cache
reuse against no reuse, streaming, disconnects, timeouts, the SIGTERM drain and /metrics.

    server_test.py --hymt build/bin/hymt --work DIR --check NAME

Each check is its own ctest entry (tests.cmake). The demo model (bundled) answers the translation
checks; checks that need a request to run for seconds use a random-weight model of a slower shape
made with `hymt gen-model` (its output is noise, but it is deterministic noise).
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, check, sse_events  # noqa: E402

PROMPT = "Translate the following segment into German, without additional explanation.\n\n"
SENTENCES = [
    "The cat sleeps on the sofa.",
    "We now have 4-month-old mice that are non-diabetic that used to be diabetic.",
    "The weather is nice today.",
    "He added that the results were promising.",
    "Scientists say the explosion was caused by the gas.",
    "The museum opens at nine in the morning.",
    "Where is the train station?",
    "She wrote a letter to her brother.",
    "The river flooded the village last spring.",
    "A new bridge will be built next year.",
    "They played football in the park.",
    "The doctor recommended more rest.",
    "Prices rose sharply in the second quarter.",
    "The film won three awards.",
    "Please close the door behind you.",
    "The company hired two hundred workers.",
]


def chat(text, **kw):
    body = {"model": "hy-mt-demo", "messages": [{"role": "user", "content": PROMPT + text}], "max_tokens": 48}
    body.update(kw)
    return body


def slow_model(a):
    path = os.path.join(a.work, "slow.gguf")
    if not os.path.exists(path):
        tmp = path + ".part"
        subprocess.run([a.hymt, "gen-model", "--preset", "tiny", "--n-embd", "1024", "--n-layer", "8", "--n-ff", "2816",
                        "--n-head", "8", "--n-head-kv", "4", "--head-dim", "128", "--type", "Q4_0", "-o", tmp],
                       check=True, capture_output=True)
        os.replace(tmp, path)
    return path


def expect_error(srv, method, path, body, status, param=None, headers=None, libre=False):
    st, hs, j = srv.json(method, path, body, headers)
    check(st == status, "%s %s %r: expected %d, got %d %r" % (method, path, body, status, st, j))
    if libre:
        check(isinstance(j.get("error"), str) and j["error"], "LibreTranslate error body: %r" % j)
    else:
        e = j.get("error")
        check(isinstance(e, dict) and e.get("message") and e.get("type"), "OpenAI error object: %r" % j)
        if param:
            check(e.get("param") == param, "error should name %s: %r" % (param, j))
    return hs, j


def check_errors(a):
    with Server(a.hymt, "--max-body", "4096", "--n-ctx", "256") as s:
        # Routing.
        expect_error(s, "GET", "/v1/no/such/route", None, 404)
        expect_error(s, "GET", "/nothing", None, 404, libre=True)
        hs, _ = expect_error(s, "GET", "/v1/chat/completions", None, 405)
        check("POST" in hs.get("allow", ""), "405 names the allowed method: %r" % hs)
        expect_error(s, "DELETE", "/translate", None, 405, libre=True)
        # Body limit.
        st, _, data = s.request("POST", "/v1/chat/completions", "x" * 10000, {"Content-Type": "application/json"})
        check(st == 413, "over --max-body: %d %r" % (st, data[:200]))
        check(b"max-body" in data, "413 says why: %r" % data)
        # Malformed and mistyped bodies.
        expect_error(s, "POST", "/v1/chat/completions", "{not json", 400)
        expect_error(s, "POST", "/v1/chat/completions", "[1, 2]", 400)
        expect_error(s, "POST", "/v1/chat/completions", {}, 400, "messages")
        expect_error(s, "POST", "/v1/chat/completions", {"messages": "hi"}, 400, "messages")
        expect_error(s, "POST", "/v1/chat/completions", {"messages": [{"role": "robot", "content": "x"}]}, 400,
                     "messages[0].role")
        expect_error(s, "POST", "/v1/chat/completions", chat("x", temperature="hot"), 400, "temperature")
        expect_error(s, "POST", "/v1/chat/completions", chat("x", temperature=5), 400, "temperature")
        expect_error(s, "POST", "/v1/chat/completions", chat("x", max_tokens=-3), 400, "max_tokens")
        expect_error(s, "POST", "/v1/chat/completions", chat("x", n=2), 400, "n")
        expect_error(s, "POST", "/v1/chat/completions", chat("x", stop=[1]), 400, "stop")
        expect_error(s, "POST", "/v1/completions", {"prompt": 7}, 400, "prompt")
        expect_error(s, "POST", "/v1/completions", {"prompt": [1, 99999999]}, 400, "prompt")
        # Prompt longer than the context.
        _, j = expect_error(s, "POST", "/v1/completions", {"prompt": "word " * 400}, 400, "prompt")
        check(j["error"]["code"] == "context_length_exceeded", j)
        # LibreTranslate and native fields.
        expect_error(s, "POST", "/translate", {"source": "en", "target": "de"}, 400, libre=True)
        expect_error(s, "POST", "/translate", {"q": 5, "source": "en", "target": "de"}, 400, libre=True)
        expect_error(s, "POST", "/translate", {"q": "x", "source": "en"}, 400, libre=True)
        _, j = expect_error(s, "POST", "/translate", {"q": "x", "source": "en", "target": "klingon"}, 400, libre=True)
        check("klingon" in j["error"], j)
        expect_error(s, "POST", "/translate", {"q": "x", "source": "en", "target": "de", "format": "pdf"}, 400, libre=True)
        expect_error(s, "POST", "/detect", {}, 400, libre=True)
        expect_error(s, "POST", "/v1/translate", {"text": "x"}, 400, "target")
        expect_error(s, "POST", "/v1/translate", {"text": "x", "target": "xx"}, 400, "target")
        expect_error(s, "POST", "/v1/translate", {"text": "x", "target": "de", "source": 3}, 400, "source")
        expect_error(s, "POST", "/v1/translate", {"document": "1\nnot a time\nx\n", "format": "srt", "target": "de"},
                     400, "document")
        expect_error(s, "POST", "/v1/translate", {"text": "x", "target": "de", "glossary": 3}, 400, "glossary")
        expect_error(s, "POST", "/v1/translate", {"text": "x", "target": "de", "format": "docx"}, 400, "format")
        st, _, _ = s.request("POST", "/translate_file", {"source": "en", "target": "de"})
        check(st == 400, "translate_file without a file: %d" % st)
        st, _, _ = s.request("GET", "/download_file/0123456789abcdef/x.txt")
        check(st == 404, "unknown download: %d" % st)
        # Hostile bodies: deep nesting, invalid UTF-8, NUL bytes.
        expect_error(s, "POST", "/v1/chat/completions", "[" * 4000, 400)
        st, _, _ = s.json("POST", "/v1/chat/completions", b'{"messages":[{"role":"user","content":"\xff\xfe\x00"}],'
                          b'"max_tokens":4}', {"Content-Type": "application/json"})
        check(st in (200, 400), "invalid UTF-8 in a body: %d" % st)
        # Garbage on the socket.
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            c.sendall(b"\x00\x01\x02 GARBAGE\r\n\r\n")
            c.recv(4096)
        st, _, _ = s.request("GET", "/health")
        check(st == 200, "alive after hostile input: %d" % st)
    # API keys.
    with Server(a.hymt, "--api-key", "k1", "--api-key", "k2", "--cors", "https://example.org") as s:
        expect_error(s, "POST", "/v1/chat/completions", chat("x"), 401)
        expect_error(s, "POST", "/v1/chat/completions", chat("x"), 401, headers={"Authorization": "Bearer nope"})
        st, _, _ = s.json("POST", "/v1/chat/completions", chat("x", max_tokens=2), {"Authorization": "Bearer k2"})
        check(st == 200, "right key: %d" % st)
        expect_error(s, "POST", "/translate", {"q": "x", "source": "en", "target": "de"}, 403, libre=True)
        expect_error(s, "POST", "/translate", {"q": "x", "source": "en", "target": "de", "api_key": "bad"}, 403,
                     libre=True)
        st, _, _ = s.json("POST", "/translate", {"q": "Hello.", "source": "en", "target": "de", "api_key": "k1"})
        check(st == 200, "api_key field: %d" % st)
        st, _, _ = s.request("GET", "/health")
        check(st == 200, "health needs no key")
        st, hs, _ = s.request("OPTIONS", "/v1/chat/completions", headers={"Origin": "https://example.org"})
        check(st == 204 and hs.get("access-control-allow-origin") == "https://example.org", "preflight: %d %r" % (st, hs))
        check("authorization" in hs.get("access-control-allow-headers", "").lower(), hs)
    print("errors: ok")


def check_queue(a):
    """A full queue answers 429 with Retry-After at once, and /health stays quick meanwhile."""
    with Server(a.hymt, "-m", slow_model(a), "--parallel", "1", "--max-queue", "1") as s:
        streams = []
        for _ in range(2):  # one running, one queued
            c, r = s.stream("/v1/completions", {"prompt": "hello", "max_tokens": 2000, "ignore_eos": True,
                                                "stream": True})
            check(r.status == 200, r.status)
            streams.append((c, r))
        end = time.time() + 20
        while time.time() < end and s.json("GET", "/health")[2]["slots_processing"] != 1:
            time.sleep(0.05)
        t0 = time.time()
        hs, j = expect_error(s, "POST", "/v1/completions", {"prompt": "x", "max_tokens": 1}, 429)
        check(hs.get("retry-after"), "429 has Retry-After: %r" % hs)
        check(time.time() - t0 < 5, "429 must be immediate")
        hs, _ = expect_error(s, "POST", "/translate", {"q": "x", "source": "en", "target": "de"}, 429, libre=True)
        t0 = time.time()
        st, _, h = s.json("GET", "/health")
        check(st == 200 and time.time() - t0 < 2, "health during decoding: %d in %.1fs" % (st, time.time() - t0))
        check(h["slots_processing"] == 1, h)
        m = s.metrics()
        check(m["hymt_requests_rejected_busy_total"] >= 2, m)
        for c, _ in streams:
            c.close()
    print("queue: ok")


def check_timeout(a):
    with Server(a.hymt, "-m", slow_model(a), "--timeout", "1") as s:
        t0 = time.time()
        _, j = expect_error(s, "POST", "/v1/completions", {"prompt": "hello", "max_tokens": 3000, "ignore_eos": True}, 504)
        check(time.time() - t0 < 10, "timed out late: %.1fs" % (time.time() - t0))
        t0 = time.time()
        st, _, _ = s.json("POST", "/v1/translate", {"text": "Hello there.", "target": "de", "max_tokens": 3000})
        check(st in (200, 504), st)  # a random model may stop early; if not, the timeout ends it
        c, r = s.stream("/v1/completions", {"prompt": "hi", "max_tokens": 3000, "ignore_eos": True, "stream": True})
        got_error = False
        for ev, data in sse_events(r):
            if data != "[DONE]" and "error" in json.loads(data):
                got_error = True
        c.close()
        check(got_error, "a timed-out stream ends with an error event")
        time.sleep(0.5)
        st, _, h = s.json("GET", "/health")
        check(h["slots_processing"] == 0, "timed-out requests free their slots: %r" % h)
    print("timeout: ok")


def check_disconnect(a):
    with Server(a.hymt, "-m", slow_model(a), "--parallel", "2") as s:
        for path, body in [("/v1/completions", {"prompt": "hi", "max_tokens": 3000, "ignore_eos": True, "stream": True}),
                           ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}],
                                                     "max_tokens": 3000, "ignore_eos": True, "stream": True})]:
            before = s.metrics()["hymt_engine_requests_cancelled_total"]
            c, r = s.stream(path, body)
            for n, _ in enumerate(sse_events(r)):  # until tokens are coming (chat starts with a role chunk)
                if n == 1:
                    break
            c.sock.shutdown(socket.SHUT_RDWR)
            c.close()
            end = time.time() + 15
            while time.time() < end:
                _, _, h = s.json("GET", "/health")
                cancelled = s.metrics()["hymt_engine_requests_cancelled_total"]
                if h["requests_in_flight"] == 0 and cancelled == before + 1:
                    break
                time.sleep(0.1)
            check(h["requests_in_flight"] == 0 and cancelled == before + 1,
                  "%s: a client that left still holds its request: %r, cancelled %d" % (path, h, cancelled))
            time.sleep(0.3)
            _, _, h = s.json("GET", "/health")
            check(h["slots_processing"] == 0, "%s: its slot is still busy: %r" % (path, h))
    print("disconnect: ok")


def check_drain(a):
    s = Server(a.hymt, "-m", slow_model(a), "--grace", "60")
    result = {}

    def long_request(n=150):
        result["r"] = s.json("POST", "/v1/completions", {"prompt": "hello", "max_tokens": n, "ignore_eos": True})

    def in_flight():  # the request is running before the signal goes (a loaded machine is slow)
        end = time.time() + 30
        while time.time() < end and s.json("GET", "/health")[2]["slots_processing"] < 1:
            time.sleep(0.05)

    t = threading.Thread(target=long_request)
    t.start()
    in_flight()
    s.proc.send_signal(signal.SIGTERM)
    t.join(120)
    rc = s.stop()
    st, _, j = result["r"]
    check(st == 200 and j["usage"]["completion_tokens"] == 150, "in-flight request finished: %d %r" % (st, j))
    check(rc == 0, "exit code after SIGTERM: %d" % rc)
    try:
        socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
        refused = False
    except OSError:
        refused = True
    check(refused, "no longer listening")
    # Past the grace period, requests are cancelled and the server still exits 0.
    s = Server(a.hymt, "-m", slow_model(a), "--grace", "0.5")
    result.clear()
    t = threading.Thread(target=long_request, args=(3000,))  # longer than the grace period on any machine
    t.start()
    in_flight()
    t0 = time.time()
    s.proc.send_signal(signal.SIGINT)
    t.join(60)
    rc = s.stop()
    check(rc == 0 and time.time() - t0 < 30, "exit %d after %.1fs" % (rc, time.time() - t0))
    st, _, _ = result["r"]
    check(st == 503, "a request cut by the shutdown gets 503: %d" % st)
    print("drain: ok")


def check_concurrency(a):
    """16 concurrent requests give exactly what the same requests give one by one."""
    with Server(a.hymt, "--parallel", "4") as s:
        def chat_one(i):
            st, _, j = s.json("POST", "/v1/chat/completions", chat(SENTENCES[i]))
            check(st == 200, (st, j))
            return j["choices"][0]["message"]["content"]

        def libre_one(i):
            st, _, j = s.json("POST", "/translate", {"q": SENTENCES[i], "source": "en", "target": "de"})
            check(st == 200, (st, j))
            return j["translatedText"]

        def native_one(i):
            st, _, j = s.json("POST", "/v1/translate", {"text": SENTENCES[i] + "\n\n" + SENTENCES[-1 - i],
                                                         "source": "en", "target": "zh"})
            check(st == 200, (st, j))
            return j["output"]

        for name, fn in [("chat", chat_one), ("translate", libre_one), ("v1/translate", native_one)]:
            alone = [fn(i) for i in range(16)]
            with ThreadPoolExecutor(16) as ex:
                together = list(ex.map(fn, range(16)))
            for i in range(16):
                check(alone[i] == together[i], "%s %d: alone %r, concurrent %r" % (name, i, alone[i], together[i]))
            check(all(x for x in together), "%s: empty results under concurrency" % name)
        m = s.metrics()
        check(m['hymt_requests_total{route="/v1/chat/completions",status="200"}'] == 32, m)
    print("concurrency: ok")


def check_prefix(a):
    """The prefix cache is used (cached_tokens), and reuse never changes a result."""
    ctx = " ".join(SENTENCES)
    outs = {}
    for mode, args in [("cache", []), ("nocache", ["--cache-mb", "0"])]:
        with Server(a.hymt, *args) as s:
            got = []
            for i in range(4):
                body = {"messages": [{"role": "system", "content": ctx},
                                     {"role": "user", "content": PROMPT + SENTENCES[i]}], "max_tokens": 32}
                st, _, j = s.json("POST", "/v1/chat/completions", body)
                check(st == 200, j)
                got.append((j["choices"][0]["message"]["content"], j["usage"]["prompt_tokens_details"]["cached_tokens"]))
                body["cache_prompt"] = False
                st, _, j2 = s.json("POST", "/v1/chat/completions", body)
                check(j2["choices"][0]["message"]["content"] == got[-1][0], "cache_prompt false changes the output")
                check(j2["usage"]["prompt_tokens_details"]["cached_tokens"] == 0, j2)
            outs[mode] = got
            m = s.metrics()
            if mode == "cache":
                check(m["hymt_cached_tokens_total"] > 0, m)
                check(all(c > 0 for _, c in got[1:]), "later requests reuse the shared head: %r" % got)
                st, _, j = s.json("POST", "/v1/translate", {"text": SENTENCES[0], "source": "en", "target": "de"})
                st, _, j2 = s.json("POST", "/v1/translate", {"text": SENTENCES[0], "source": "en", "target": "de"})
                check(j2["usage"]["prompt_tokens_details"]["cached_tokens"] > 0, j2["usage"])
                check(j["output"] == j2["output"], "same translation from the cache")
            else:
                check(all(c == 0 for _, c in got), got)
    check([o for o, _ in outs["cache"]] == [o for o, _ in outs["nocache"]], "cache on/off differ: %r" % outs)
    print("prefix: ok")


def check_streaming(a):
    """Streamed deltas concatenate to the whole answer; stop strings cut where they first appear."""
    with Server(a.hymt) as s:
        for path in ["/v1/chat/completions", "/v1/completions"]:
            # A raw prompt without the chat template: the demo model would end at once, so it runs to
            # max_tokens (ignore_eos).
            body = chat(SENTENCES[1]) if "chat" in path else {"prompt": PROMPT + SENTENCES[1], "max_tokens": 48,
                                                             "ignore_eos": True}
            st, _, whole = s.json("POST", path, body)
            text = whole["choices"][0]["message"]["content"] if "chat" in path else whole["choices"][0]["text"]
            check(st == 200 and text, (st, whole))
            c, r = s.stream(path, dict(body, stream=True))
            check(r.getheader("Content-Type", "").startswith("text/event-stream"), r.getheaders())
            parts, finish, done, usage = [], None, False, None
            for _, data in sse_events(r):
                if data == "[DONE]":
                    done = True
                    continue
                j = json.loads(data)
                ch = j["choices"][0]
                parts.append(ch["delta"].get("content", "") if "chat" in path else ch["text"])
                finish = ch["finish_reason"] or finish
                usage = j.get("usage", usage)
            c.close()
            check(done, "stream ends with [DONE]")
            check("".join(parts) == text, "%s: streamed %r != whole %r" % (path, "".join(parts), text))
            check(finish == whole["choices"][0]["finish_reason"], (finish, whole))
            check(usage["completion_tokens"] == whole["usage"]["completion_tokens"], usage)
            # Stop strings: the output is the text before the first occurrence.
            for stop in [text[len(text) // 2:len(text) // 2 + 3], text[:2], text[-1:]]:
                if not stop.strip():
                    continue
                st, _, j = s.json("POST", path, dict(body, stop=[stop, "\u0000never"]))
                got = j["choices"][0]["message"]["content"] if "chat" in path else j["choices"][0]["text"]
                check(got == text[:text.find(stop)], "stop %r: %r, expected %r" % (stop, got, text[:text.find(stop)]))
                check(j["choices"][0]["finish_reason"] == "stop", j)
                c, r = s.stream(path, dict(body, stop=[stop], stream=True))
                streamed = ""
                for _, data in sse_events(r):
                    if data != "[DONE]":
                        ch = json.loads(data)["choices"][0]
                        streamed += ch["delta"].get("content", "") if "chat" in path else ch["text"]
                c.close()
                check(streamed == got, "streamed with stop %r: %r vs %r" % (stop, streamed, got))
        # Native streaming: deltas for one text, segments for a document, then done.
        c, r = s.stream("/v1/translate", {"text": SENTENCES[0], "source": "en", "target": "de", "stream": True})
        evs = list(sse_events(r))
        c.close()
        names = [e for e, _ in evs]
        check(names[-1] == "done" and "delta" in names, names)
        done = json.loads(evs[-1][1])
        deltas = "".join(json.loads(d)["text"] for e, d in evs if e == "delta")
        check(deltas.strip() == done["output"].strip(), (deltas, done["output"]))
        srt = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:04,000\nThe cat sleeps.\n"
        c, r = s.stream("/v1/translate", {"document": srt, "format": "srt", "target": "de", "stream": True})
        evs = list(sse_events(r))
        c.close()
        segs = [json.loads(d) for e, d in evs if e == "segment"]
        check(len(segs) == 2 and sorted(x["index"] for x in segs) == [0, 1], evs)
        done = json.loads(evs[-1][1])
        check("00:00:03,000 --> 00:00:04,000" in done["output"], done["output"])
    print("streaming: ok")


def check_native(a):
    with Server(a.hymt) as s:
        st, _, j = s.json("POST", "/v1/translate", {"text": "The Foo Widget sleeps.", "source": "en", "target": "de",
                                                     "glossary": {"Foo Widget": "Foo-Dings"}, "keep": ["sleeps"]})
        check(st == 200, j)
        seg = j["segments"][0]
        check("Foo-Dings" in seg["prompt"] and "sleeps" in seg["prompt"], seg["prompt"])
        check(set(seg["glossary_hits"]) | set(seg["glossary_misses"]) == {"Foo Widget", "sleeps"}, seg)
        for k in ["format", "charset", "segments", "output", "usage", "model"]:
            check(k in j, "native response has %s: %r" % (k, list(j)))
        st, _, j = s.json("POST", "/v1/translate", {"text": "Hello.", "target": "de", "context": "A greeting.",
                                                     "sampling": "official", "seed": 3, "checks": False})
        check(st == 200 and "A greeting." in j["segments"][0]["prompt"], j)
        html = "<p>Hello <b>world</b>.</p>"
        st, _, j = s.json("POST", "/v1/translate", {"document": html, "format": "html", "target": "de"})
        check(st == 200 and "<p>" in j["output"] and "</b>" in j["output"], j)
        st, _, j = s.json("POST", "/translate", {"q": html, "source": "en", "target": "de", "format": "html"})
        check(st == 200 and "<p>" in j["translatedText"] and "<b>" in j["translatedText"], j)
        # Forms, as LibreTranslate's own page sends them.
        st, _, j = s.json("POST", "/translate", "q=Hello.&source=en&target=de",
                          {"Content-Type": "application/x-www-form-urlencoded"})
        check(st == 200 and isinstance(j["translatedText"], str), (st, j))
        st, _, j = s.json("POST", "/translate", {"q": ["Hello.", "", "The cat sleeps."], "source": "auto",
                                                  "target": "de", "alternatives": 2})
        check(st == 200 and len(j["translatedText"]) == 3 and j["translatedText"][1] == "", j)
        check(len(j["detectedLanguage"]) == 3 and len(j["alternatives"]) == 3, j)
        check(all(len(x) <= 2 for x in j["alternatives"]), j)
        st, _, j = s.json("POST", "/detect", {"q": "Das ist ein schöner Tag und wir gehen spazieren."})
        check(st == 200 and j[0]["language"] == "de" and 0 < j[0]["confidence"] <= 100, j)
        st, _, langs = s.json("GET", "/languages")
        check(len(langs) == 38 and all({"code", "name", "targets"} <= set(x) for x in langs), langs[:2])
        st, _, j = s.json("GET", "/frontend/settings")
        check(st == 200 and ".srt" in j["supportedFilesFormat"] and j["maxBodyBytes"] == 1048576, j)
        # The web page's upload: the document as a multipart file (any charset translate reads),
        # the other fields as form fields, glossary and keep as JSON text. Same answer as JSON.
        srt = "1\n00:00:01,000 --> 00:00:02,000\nThe Foo Widget sleeps.\n\n2\n00:00:03,000 --> 00:00:04,000\nHello.\n"
        fields = {"target": "de", "glossary": '{"Foo Widget": "Foo-Dings"}', "keep": '["sleeps"]'}
        st, _, up = s.multipart("/v1/translate", fields, {"file": ("dir/movie.SRT", srt.encode("utf-16"))})
        check(st == 200 and up["format"] == "srt" and up["charset"].startswith("UTF-16"), (st, up))
        st, _, js = s.json("POST", "/v1/translate", {"document": srt, "format": "srt", "target": "de",
                                                     "glossary": {"Foo Widget": "Foo-Dings"}, "keep": ["sleeps"]})
        check(st == 200 and up["output"] == js["output"], (up.get("output"), js.get("output")))
        check("Foo-Dings" in up["segments"][0]["prompt"], up["segments"][0]["prompt"])
        st, _, j = s.multipart("/v1/translate", {"target": "de"}, {"file": ("scan.pdf", b"%PDF-1.4")})
        check(st == 400 and j["error"]["param"] == "file" and "not a supported file format" in j["error"]["message"], j)
        st, _, j = s.multipart("/v1/translate", {"target": "de", "glossary": "{broken"}, {"file": ("a.txt", b"Hi.")})
        check(st == 400 and j["error"]["param"] == "glossary", j)
        st, _, j = s.multipart("/v1/translate", {"target": "de", "text": "x"}, {"file": ("a.txt", b"Hi.")})
        check(st == 400 and j["error"]["param"] == "file", j)
        # alternatives: up to n sampled translations, none equal to the answer or to each other.
        st, _, j = s.json("POST", "/v1/translate", {"text": "The cat sleeps on the warm mat.", "target": "de",
                                                    "alternatives": 3})
        check(st == 200 and len(j["alternatives"]) <= 3 and j["output"] not in j["alternatives"] and
              len(set(j["alternatives"])) == len(j["alternatives"]), j.get("alternatives"))
        st, _, j2 = s.json("POST", "/v1/translate", {"text": "The cat sleeps on the warm mat.", "target": "de",
                                                     "alternatives": 3})
        check(j2["alternatives"] == j["alternatives"], "alternatives are reproducible (fixed seeds)")
        expect_error(s, "POST", "/v1/translate", {"text": "x", "target": "de", "alternatives": 4}, 400, "alternatives")
        st, _, j = s.json("POST", "/v1/translate", {"text": "The cat sleeps.", "target": "de"})
        check("alternatives" not in j, "no alternatives unless asked")
    print("native: ok")


def check_loading(a):
    s = Server(a.hymt, env={"HYMT_SERVE_TEST_LOAD_DELAY_MS": "2000"}, wait_ready=False)
    try:
        st, hs, j = s.json("GET", "/health")
        check(st == 503 and hs.get("retry-after"), "health while loading: %d %r" % (st, j))
        expect_error(s, "POST", "/v1/chat/completions", chat("x"), 503)
        st, _, _ = s.request("GET", "/metrics")
        check(st == 200, "metrics while loading: %d" % st)
        s.wait_ready(30)
        st, _, _ = s.json("POST", "/v1/chat/completions", chat("x", max_tokens=2))
        check(st == 200, st)
    finally:
        rc = s.stop()
    check(rc == 0, rc)
    # A file that is not a model: a clear message and exit 3, never a crash.
    bad = os.path.join(a.work, "bad.gguf")
    with open(bad, "wb") as f:
        f.write(b"GGUF" + os.urandom(200))
    p = subprocess.run([a.hymt, "serve", "--port", "0", "-m", bad], capture_output=True, text=True, timeout=60)
    check(p.returncode == 3 and "hymt serve:" in p.stderr, (p.returncode, p.stderr))
    print("loading: ok")


def check_metrics(a):
    with Server(a.hymt) as s:
        s.json("POST", "/v1/chat/completions", chat(SENTENCES[0]))
        s.json("POST", "/translate", {"q": "x", "source": "en", "target": "zz"})
        m = s.metrics()
        for k in ['hymt_requests_total{route="/v1/chat/completions",status="200"}',
                  'hymt_requests_total{route="/translate",status="400"}', "hymt_queue_length", "hymt_slots_busy",
                  "hymt_requests_deferred", "hymt_prompt_tokens_total", "hymt_generated_tokens_total",
                  "hymt_cached_tokens_total", 'hymt_time_to_first_token_seconds_bucket{le="+Inf"}',
                  "hymt_request_duration_seconds_count"]:
            check(k in m, "metrics lack %s" % k)
        check(m["hymt_generated_tokens_total"] > 0 and m['hymt_time_to_first_token_seconds_bucket{le="+Inf"}'] == 1, m)
    print("metrics: ok")


CHECKS = {f.__name__[6:]: f for f in [check_errors, check_queue, check_timeout, check_disconnect, check_drain,
                                      check_concurrency, check_prefix, check_streaming, check_native, check_loading,
                                      check_metrics]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--check", required=True, choices=sorted(CHECKS))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    CHECKS[a.check](a)


if __name__ == "__main__":
    main()
