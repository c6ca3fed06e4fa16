#!/usr/bin/env python3
"""Tests of the Python binding (python/, package hymt) as a user runs it: installed with pip,
offline, into a fresh venv, imported from there (never from the source tree), over the libhymt the
build made, on the bundled demo model. Expected translations come from the hymt CLI run in the same
test (an independent path to the same engine), never from the binding itself.

Cases (one ctest entry each; `install` is the fixture the others need):
  install    python3 -m venv --system-site-packages + pip install --no-index --no-build-isolation
             of a copy of python/; the package imports from the venv's site-packages
  layout     the ctypes Structures have the sizes and offsets the C compiler gives hymt.h's structs
  library    libhymt lookup: $HYMT_LIBRARY, a copy inside the package, the system loader; a missing
             library is a LibraryError at first use, not at import; API version 1.x
  translate  the demo model's test sentences (4 directions) give `hymt translate`'s output, one by
             one and as one document per direction; Result fields and its JSON report agree
  threads    4 threads, each with its own Translator on one Model, give one thread's results;
             Model.translate from many threads; a second concurrent call on one Translator is BusyError
  stream     pieces concatenate to the non-streamed text; closing a stream early cancels it and the
             translator works afterwards; callbacks see the same pieces; an exception in a callback
             comes out of translate()
  cancel     Translator.cancel() from another thread during translate() and during a stream ->
             CancelledError; closing a translator mid-call cancels it and frees it afterwards
  errors     missing model, corrupt model, unknown language, unknown format, empty text, malformed
             JSON document, missing input file, out-of-vocabulary id, bad options, closed model and
             translator: the documented exception types with hymt's messages
  tokenize   Model.tokenize / detokenize equal `hymt tokenize --json` / `hymt detokenize --json`,
             with and without parse_special; round trip; model info, languages, detect, find_language
  files      translate_file on SRT and JSON documents equals `hymt translate -i -o`
  example    examples/translate.py on a sentence prints what `hymt translate` prints

The binding's models use one compute thread (a spinning pool of two is several times slower on a
loaded 2-core machine), the CLI's whole-document runs its default of two: results do not depend on
the thread count.

Usage: python_test.py --hymt HYMT --library LIBHYMT --model GGUF --work DIR CASE
"""
import argparse
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))  # tests/requires.py
import requires  # noqa: E402

FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr, flush=True)
    return cond


def run(args, expect=0, **kw):
    p = subprocess.run(args, capture_output=True, text=True, **kw)
    if p.returncode not in (expect if isinstance(expect, tuple) else (expect,)):
        sys.exit("FAIL: %s exited %d, expected %s\nstdout: %s\nstderr: %s"
                 % (" ".join(args), p.returncode, expect, p.stdout[-2000:], p.stderr[-2000:]))
    return p


def expect_raises(exc_type, fn, what, status=None, contains=None):
    """fn() must raise exc_type (with .status == status and a message containing `contains`)."""
    try:
        fn()
    except exc_type as e:
        msg = str(e)
        check(bool(msg), "%s: empty message" % what)
        if status is not None:
            check(getattr(e, "status", None) == status, "%s: status %r, want %r" % (what, getattr(e, "status", None), status))
        if contains is not None:
            check(contains in msg, "%s: message %r lacks %r" % (what, msg, contains))
        print("  %s -> %s: %s" % (what, type(e).__name__, msg[:150]))
        return e
    except BaseException as e:  # noqa: B902
        check(False, "%s: raised %s (%s), want %s" % (what, type(e).__name__, e, exc_type.__name__))
        return None
    check(False, "%s: did not raise %s" % (what, exc_type.__name__))
    return None


def sentences(model_dir):
    with open(os.path.join(model_dir, "golden.json"), encoding="utf-8") as f:
        g = json.load(f)
    return [s for s in g["sentences"] if s.get("e2e", True)]


def cli_translate(a, src, tgt, text):
    return run([a.hymt, "translate", "--model", a.model, "--from", src, "--to", tgt, "--threads", "1", "-q", text]).stdout


# ---- the venv ----------------------------------------------------------------------------------

def venv_python(a):
    return os.path.join(a.work, "venv", "bin", "python")


def case_install(a):
    venv = os.path.join(a.work, "venv")
    shutil.rmtree(venv, ignore_errors=True)
    os.makedirs(a.work, exist_ok=True)
    py = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    for mod, pkg in (("venv", "python3-venv"), ("pip", "python3-pip"), ("setuptools", "python3-setuptools"),
                     ("wheel", "python3-wheel")):
        if subprocess.run([py, "-c", "import " + mod], capture_output=True).returncode != 0:
            requires.skip("needs the Python module %s (Debian %s) for %s" % (mod, pkg, py))
    # --without-pip: the system's pip (visible through --system-site-packages) installs into the venv.
    run([py, "-m", "venv", "--system-site-packages", "--without-pip", venv])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "python")  # a copy: pip's build leaves build/ and *.egg-info behind
        shutil.copytree(os.path.join(ROOT, "python"), src,
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "libhymt.so*"))
        env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
        run([venv_python(a), "-m", "pip", "install", "--no-index", "--no-build-isolation", "--no-deps", "-q", src],
            env=env, cwd=tmp)
    site = run([venv_python(a), "-c", "import hymt, os; print(os.path.dirname(hymt.__file__))"], cwd="/").stdout.strip()
    check(site.startswith(os.path.realpath(venv)) or site.startswith(venv), "hymt imported from %s, not the venv" % site)
    check(os.path.exists(os.path.join(site, "py.typed")), "py.typed installed")
    print("installed into %s" % site)


def reexec_in_venv(a):
    py = venv_python(a)
    if not os.path.exists(py):
        requires.skip("no venv at %s: the python.install test (the fixture) did not run or was skipped" % py)
    os.environ["HYMT_LIBRARY"] = a.library  # also when run with the venv's python directly
    if os.path.realpath(sys.prefix) != os.path.realpath(os.path.join(a.work, "venv")):
        env = dict(os.environ, HYMT_LIBRARY=a.library)
        env.pop("PYTHONPATH", None)
        os.execve(py, [py, os.path.abspath(__file__)] + sys.argv[1:], env)


# ---- cases that import hymt ---------------------------------------------------------------------

def case_library(a):
    import hymt
    check(hymt.__file__.startswith(sys.prefix), "hymt from %s" % hymt.__file__)
    check(hymt.api_version() // 1000 == 1, "api version %d" % hymt.api_version())
    check(os.path.realpath(hymt.library_path()) == os.path.realpath(a.library),
          "loaded %s, HYMT_LIBRARY %s" % (hymt.library_path(), a.library))
    v = hymt.version()
    check(bool(v), "version %r" % v)
    print("library %s, version %s, api %d" % (hymt.library_path(), v, hymt.api_version()))
    probe = ("import hymt, os\n"
             "print(os.path.realpath(hymt.library_path()))\n")
    base = {k: v for k, v in os.environ.items() if k not in ("HYMT_LIBRARY", "LD_LIBRARY_PATH", "PYTHONPATH")}
    libdir = os.path.dirname(os.path.realpath(a.library))
    # The loader's path: libhymt.so.1 (the SONAME) through LD_LIBRARY_PATH.
    p = run([sys.executable, "-c", probe], env=dict(base, LD_LIBRARY_PATH=libdir), cwd="/")
    check(os.path.dirname(p.stdout.strip()) == libdir, "via LD_LIBRARY_PATH: loaded %r" % p.stdout)
    # A copy inside the package comes before the loader's path.
    with tempfile.TemporaryDirectory() as tmp:
        pkg = os.path.join(tmp, "hymt")
        shutil.copytree(os.path.dirname(hymt.__file__), pkg, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(a.library, os.path.join(pkg, "libhymt.so.1"))
        p = run([sys.executable, "-c", probe], env=dict(base, PYTHONPATH=tmp, LD_LIBRARY_PATH=libdir), cwd="/")
        check(p.stdout.strip() == os.path.realpath(os.path.join(pkg, "libhymt.so.1")), "in-package copy: loaded %r" % p.stdout)
        # $HYMT_LIBRARY comes first of all; a bad one fails at first use, not at import.
        p = run([sys.executable, "-c", probe], env=dict(base, PYTHONPATH=tmp, HYMT_LIBRARY=a.library), cwd="/")
        check(p.stdout.strip() == os.path.realpath(a.library), "HYMT_LIBRARY first: loaded %r" % p.stdout)
    bad = ("import hymt\n"
           "try:\n    hymt.languages()\n"
           "except hymt.LibraryError as e:\n    print('LibraryError', e.status, isinstance(e, OSError), e)\n")
    p = run([sys.executable, "-c", bad], env=dict(base, HYMT_LIBRARY="/nonexistent/libhymt.so.1"), cwd="/")
    check(p.stdout.startswith("LibraryError not_found True") and "/nonexistent/libhymt.so.1" in p.stdout,
          "missing library: %r" % p.stdout)
    # A library that is not hymt's.
    libc = "libc.so.6"
    p = run([sys.executable, "-c", bad], env=dict(base, HYMT_LIBRARY=libc), cwd="/")
    check(p.stdout.startswith("LibraryError") and "not the hymt C library" in p.stdout, "libc as libhymt: %r" % p.stdout)


def case_layout(a):
    """Every ctypes Structure has the C compiler's size and field offsets (tests/python/layout.c)."""
    from hymt import _native as N
    if not a.layout:
        requires.skip("no --layout program")
    c = json.loads(run([a.layout]).stdout)
    mine = {"hymt_language": N.Language, "hymt_model_params": N.ModelParams, "hymt_model_info": N.ModelInfo,
            "hymt_glossary_entry": N.GlossaryEntry, "hymt_translate_params": N.TranslateParams,
            "hymt_segment": N.Segment}
    check(set(c) == set(mine), "structs %s" % sorted(c))
    for name, st in mine.items():
        want = c[name]
        got = {f[0]: getattr(st, f[0]).offset for f in st._fields_}
        check(list(got) == list(want["fields"]), "%s: fields %r, C %r" % (name, list(got), list(want["fields"])))
        check(got == want["fields"], "%s: offsets %r, C %r" % (name, got, want["fields"]))
        check(ctypes.sizeof(st) == want["size"], "%s: size %d, C %d" % (name, ctypes.sizeof(st), want["size"]))
    print("layout: %d structs match the C compiler's layout" % len(mine))


def segments_match_report(r, what):
    """The Segments of a Result carry what its JSON report (the CLI's --json schema) says."""
    rep = r.json
    check(rep["output"] == r.text and len(rep["segments"]) == len(r.segments), "%s: report %r" % (what, rep))
    for seg, j in zip(r.segments, rep["segments"]):
        got = (seg.where, seg.source, seg.output, seg.prompt_tokens, seg.output_tokens, seg.kept_source,
               seg.retried, [p.code for p in seg.problems])
        want = (j["where"], j["source"], j["output"], j["prompt_tokens"], j["output_tokens"], j["kept_source"],
                bool(j.get("retried") or j["document_retry"] or any(x["retried"] for x in j.get("pieces", []))),
                [x["code"] for x in j["problems"]])
        check(got == want, "%s %s: Segment %r, report %r" % (what, seg.where, got, want))


def case_translate(a):
    import hymt
    sents = sentences(a.model_dir)
    # The CLI's translations: each direction's sentences as one document (one line each, decoded in
    # batches, byte-identical to one at a time), and one per direction as a single text argument.
    cli_line, cli_doc = {}, {}
    for d in ("en-zh", "zh-en", "en-fr", "en-de"):
        src, tgt = d.split("-")
        mine = [s for s in sents if s["dir"] == d]
        p = run([a.hymt, "translate", "--model", a.model, "--from", src, "--to", tgt, "-q", "--doc-context", "0"],
                input="".join(s["src"] + "\n" for s in mine), expect=(0, 5))
        cli_doc[d] = p
        out = p.stdout
        lines = out.split("\n")
        check(len(lines) == len(mine) + 1, "%s: the CLI printed %d lines" % (d, len(lines)))
        for s, line in zip(mine, lines):
            cli_line[(d, s["line"])] = line
        for s in mine[:1]:
            cli_line[(d, s["line"], "arg")] = cli_translate(a, src, tgt, s["src"]).rstrip("\n")
    with hymt.Model(a.model, threads=1) as model, model.translator() as t:
        bad = 0
        for s in sents:
            src, tgt = s["dir"].split("-")
            want = cli_line.get((s["dir"], s["line"]))
            r = t.translate(s["src"], to=tgt, source=src)
            if not check(r.text == want, "%s line %d: Python %r, CLI %r" % (s["dir"], s["line"], r.text, want)):
                bad += 1
            arg = cli_line.get((s["dir"], s["line"], "arg"))
            check(arg is None or r.text == arg, "%s line %d: Python %r, CLI (text argument) %r" % (s["dir"], s["line"], r.text, arg))
            check(r.text == s["tgt"], "%s line %d: %r is not the training target %r" % (s["dir"], s["line"], r.text, s["tgt"]))
            check(not r.checks_failed and len(r.segments) == 1, "%s line %d: checks_failed %s, %d segments"
                  % (s["dir"], s["line"], r.checks_failed, len(r.segments)))
            seg = r.segments[0]
            check(seg.source == s["src"] and seg.output == r.text and seg.source_lang == src,
                  "segment fields: %r" % (seg,))
            check(seg.output_tokens > 0 and seg.prompt_tokens > 0 and seg.confidence <= 0 and seg.pieces >= 1
                  and seg.decode_ms >= 0 and seg.prefill_ms >= 0 and not seg.kept_source, "segment numbers: %r" % (seg,))
            segments_match_report(r, "%s line %d" % (s["dir"], s["line"]))
        print("translate: %d / %d sentences equal the CLI's output" % (len(sents) - bad, len(sents)))
        # One document per direction (each line a segment, decoded in batches) == the CLI on stdin.
        # The demo model knows only the default prompt, so the rolling document context is off.
        for d in ("en-zh", "zh-en", "en-fr", "en-de"):
            src, tgt = d.split("-")
            doc = "".join(s["src"] + "\n" for s in sents if s["dir"] == d)
            p = cli_doc[d]
            r = t.translate(doc, tgt, source=src, doc_context=0)
            check(r.text == p.stdout, "%s document: Python %r\nCLI %r" % (d, r.text, p.stdout))
            check(r.checks_failed == (p.returncode == 5), "%s document: checks_failed %s, CLI exit %d"
                  % (d, r.checks_failed, p.returncode))
            check(len(r.segments) == doc.count("\n"), "%s document: %d segments" % (d, len(r.segments)))
            check([x.where for x in r.segments] == ["line %d" % (i + 1) for i in range(len(r.segments))],
                  "%s document: where %r" % (d, [x.where for x in r.segments]))
            segments_match_report(r, d)
        # A sentence the model does not know: its checks fail and it is retried (the CLI's report
        # says so); the Segment says so too.
        odd = "Der Hund bellt laut."
        # The output of the untrained de->zh direction holds U+FFFD: it may still fail its checks (exit 5).
        cli = json.loads(run([a.hymt, "translate", "--model", a.model, "--to", "zh", "-q", "--json", odd],
                             expect=(0, 5)).stdout)
        r = t.translate(odd, "zh")
        check(r.text == cli["output"].rstrip("\n"), "%r: Python %r, CLI %r" % (odd, r.text, cli["output"]))
        segments_match_report(r, odd)
        check(cli["segments"][0]["retried"], "%r is no longer retried by the CLI: pick another sentence" % odd)
        check(r.segments[0].retried, "%r: Segment.retried is False, the CLI's report says retried" % odd)
        # UTF-16 with a BOM in, UTF-8 out, as the CLI reads files.
        s = sents[0]
        r = t.translate(s["src"].encode("utf-16"), "zh", source="en")
        check(r.text == s["tgt"] and r.json["charset"] == "UTF-16LE", "UTF-16 input: %r, %s" % (r.text, r.json["charset"]))
        # Auto-detected source, bytes in, Model.translate.
        s = sents[0]
        r = model.translate(s["src"].encode("utf-8"), s["dir"].split("-")[1])
        want = run([a.hymt, "translate", "--model", a.model, "--to", s["dir"].split("-")[1], "-q", s["src"]]).stdout
        check(r.text == want.rstrip("\n"), "auto source: %r vs CLI %r" % (r.text, want))
        check(r.segments[0].source_lang == s["dir"].split("-")[0], "detected %r" % r.segments[0].source_lang)
        # Options reach the library: --json's prompt has the glossary terms; the CLI agrees.
        opts = dict(glossary={"mice": "小鼠"}, keep=["diabetic"])
        r = t.translate(s["src"], "zh", source="en", **opts)
        p = run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", "zh", "-q", "--term", "mice=小鼠",
                 "--keep", "diabetic", "--json", s["src"]], expect=(0, 5))
        cli = json.loads(p.stdout)
        check(r.text == cli["output"].rstrip("\n"), "glossary: Python %r, CLI %r" % (r.text, cli["output"]))
        check(r.checks_failed == (p.returncode == 5), "glossary: checks_failed %s, CLI exit %d" % (r.checks_failed, p.returncode))
        segments_match_report(r, "glossary")
        check(r.json["segments"][0].get("prompt") == cli["segments"][0].get("prompt") and "小鼠" in r.json["segments"][0].get("prompt", ""),
              "glossary prompt: %r vs %r" % (r.json["segments"][0].get("prompt"), cli["segments"][0].get("prompt")))
        # The Hy-MT2 instructions: refused for this HY-MT1.5-family model, as by the CLI; with the
        # Hy-MT2 prompt set they give the CLI's prompt.
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s["src"], "zh", style="formal"),
                      "style for an HY-MT1.5 model", status="invalid_argument")
        mt2 = dict(prompt_family="hy-mt2", style="formal", preferences=["Use short words.", "No slang."])
        r = t.translate(s["src"], "zh", source="en", checks=False, **mt2)
        cli = json.loads(run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", "zh", "-q", "--json",
                              "--no-checks", "--prompt-family", "hy-mt2", "--style", "formal", "--preference",
                              "Use short words.", "--preference", "No slang.", s["src"]]).stdout)
        check(r.text == cli["output"].rstrip("\n") and r.json["segments"][0]["prompt"] == cli["segments"][0]["prompt"]
              and "No slang." in cli["segments"][0]["prompt"],
              "Hy-MT2 style: prompt %r, CLI %r" % (r.json["segments"][0]["prompt"], cli["segments"][0]["prompt"]))
        r = t.translate('{"a": "Hello world."}', "zh", source="en", checks=False, prompt_family="hy-mt2",
                        structured_format="JSON", delimiters=True)
        check(r.json["segments"][0]["template"] not in ("default", None), "structured: template %r"
              % r.json["segments"][0]["template"])


def case_threads(a):
    import hymt
    sents = sentences(a.model_dir)[::2]  # 20 sentences, every direction
    with hymt.Model(a.model, threads=1, max_seqs=8) as model:
        with model.translator() as t:
            one = [t.translate(s["src"], s["dir"].split("-")[1], source=s["dir"].split("-")[0]).text for s in sents]
        n = 4
        got = [None] * n
        errors = []
        barrier = threading.Barrier(n)

        def worker(k):
            try:
                with model.translator() as tk:
                    barrier.wait()
                    order = sents[k:] + sents[:k]  # each thread starts elsewhere: different batches
                    out = {(s["dir"], s["line"]): tk.translate(s["src"], s["dir"].split("-")[1],
                                                               source=s["dir"].split("-")[0]).text for s in order}
                    got[k] = [out[(s["dir"], s["line"])] for s in sents]
            except BaseException as e:  # noqa: B902
                errors.append(e)

        th = [threading.Thread(target=worker, args=(k,)) for k in range(n)]
        t0 = time.time()
        for x in th:
            x.start()
        for x in th:
            x.join()
        check(not errors, "thread errors: %r" % errors)
        for k in range(n):
            check(got[k] == one, "thread %d: results differ from one thread's:\n%r\n%r" % (k, got[k], one))
        print("threads: %d threads x %d sentences on one model in %.1f s, identical to one thread"
              % (n, len(sents), time.time() - t0))
        # Model.translate (a translator per call) from many threads at once.
        res = [None] * len(sents)

        def mt(i):
            s = sents[i]
            res[i] = model.translate(s["src"], s["dir"].split("-")[1], source=s["dir"].split("-")[0]).text

        th = [threading.Thread(target=mt, args=(i,)) for i in range(len(sents))]
        for x in th:
            x.start()
        for x in th:
            x.join()
        check(res == one, "Model.translate from %d threads: %r" % (len(sents), res))
        # One translator, two threads at once: the second call is BusyError, the first completes.
        with model.translator() as t:
            inside, release = threading.Event(), threading.Event()
            out = {}

            def first():
                def on_text(piece):
                    inside.set()
                    release.wait(30)
                try:
                    out["r"] = t.translate(sents[0]["src"], "zh", source="en", on_text=on_text).text
                except BaseException as e:  # noqa: B902
                    out["e"] = e

            th = threading.Thread(target=first)
            th.start()
            check(inside.wait(30), "first call never streamed")
            expect_raises(hymt.BusyError, lambda: t.translate(sents[0]["src"], "zh", source="en"),
                          "a second concurrent call on one translator", status="busy")
            release.set()
            th.join()
            check(out.get("r") == one[0], "the first call after the BusyError: %r" % out)


def case_stream(a):
    import hymt
    sents = sentences(a.model_dir)
    with hymt.Model(a.model, threads=1) as model, model.translator() as t:
        for s in sents[::5]:
            src, tgt = s["dir"].split("-")
            whole = t.translate(s["src"], tgt, source=src).text
            st = t.stream(s["src"], tgt, source=src)
            pieces = list(st)
            check(len(pieces) > 1, "%s line %d: %d pieces" % (s["dir"], s["line"], len(pieces)))
            check("".join(pieces) == whole, "%s line %d: stream %r, translate %r" % (s["dir"], s["line"], "".join(pieces), whole))
            check(st.result is not None and st.result.text == whole and st.restarts == 0, "stream.result %r" % st.result)
            seen = []
            r = t.translate(s["src"], tgt, source=src, on_text=seen.append)
            check(seen == pieces and r.text == whole, "on_text pieces %r vs stream %r" % (seen, pieces))
        print("stream: pieces concatenate to the translation (%d sentences)" % len(sents[::5]))
        # A document: its segments stream one after another; on_segment sees each first translation.
        en = [s for s in sents if s["dir"] == "en-zh"][:3]
        doc = "\n".join(s["src"] for s in en) + "\n"
        whole = t.translate(doc, "zh", source="en", doc_context=0)
        st = t.stream(doc, "zh", source="en", doc_context=0)
        pieces = list(st)
        check(st.restarts == 0 and "".join(pieces) == "".join(x.output for x in whole.segments),
              "document stream %r (%d restarts) vs segments %r" % ("".join(pieces), st.restarts,
                                                                   [x.output for x in whole.segments]))
        check(st.result.text == whole.text, "document stream result %r" % st.result.text)
        segs = []
        r = t.translate(doc, "zh", source="en", doc_context=0, on_segment=lambda i, txt: segs.append((i, txt)))
        check(r.text == whole.text and sorted(segs) == [(i, x.output) for i, x in enumerate(whole.segments)],
              "on_segment %r" % segs)  # batched: in the order they finish
        # A sentence whose checks fail: the stream restarts, and what it yields after the last restart
        # is the translation (translate()'s and the CLI's).
        odd = "Der Hund bellt laut."
        # The output of the untrained de->zh direction holds U+FFFD: it may still fail its checks (exit 5).
        cli = json.loads(run([a.hymt, "translate", "--model", a.model, "--to", "zh", "-q", "--json", odd],
                             expect=(0, 5)).stdout)
        events = []
        st = t.stream(odd, "zh", on_restart=lambda: events.append(None))
        for piece in st:
            events.append(piece)
        last = len(events) - events[::-1].index(None) if None in events else 0
        check(st.restarts == events.count(None) and (st.restarts > 0) == cli["segments"][0]["retried"],
              "%r: %d restarts, the CLI's report: retried %s" % (odd, st.restarts, cli["segments"][0]["retried"]))
        check("".join(events[last:]) == st.result.text == t.translate(odd, "zh").text == cli["output"].rstrip("\n"),
              "%r: streamed after the restart %r, result %r, CLI %r" % (odd, "".join(events[last:]), st.result.text,
                                                                       cli["output"]))
        # Closing a stream early cancels it; the translator then works as before.
        s = en[0]
        want = t.translate(s["src"], "zh", source="en").text
        with t.stream(s["src"], "zh", source="en") as st:
            first = next(st)
            check(bool(first), "first piece")
        check(st.result is None, "an early-closed stream has no result")
        for _ in range(3):  # a generator dropped without close()
            it = iter(t.stream(s["src"], "zh", source="en"))
            next(it)
            del it
        for piece in t.stream(s["src"], "zh", source="en"):
            break
        check(t.translate(s["src"], "zh", source="en").text == want, "translator after early-closed streams")
        # An exception raised in a callback stops the call and comes out of translate().
        class Boom(Exception):
            pass

        def bad(piece):
            raise Boom("from the callback")

        expect_raises(Boom, lambda: t.translate(s["src"], "zh", source="en", on_text=bad), "exception in on_text")
        expect_raises(Boom, lambda: t.translate(doc, "zh", source="en", doc_context=0, on_segment=lambda i, x: bad(x)),
                      "exception in on_segment")
        check(t.translate(s["src"], "zh", source="en").text == want, "translator after a callback exception")
        # Bad options of a stream raise at once, on the caller's thread.
        expect_raises(TypeError, lambda: t.stream(s["src"], "zh", on_text=print), "stream(on_text=)")
        expect_raises(TypeError, lambda: t.stream(s["src"], "zh", colour="red"), "stream(unknown option)")


def case_cancel(a):
    import hymt
    sents = sentences(a.model_dir)
    s = sents[0]
    with hymt.Model(a.model, threads=1) as model, model.translator() as t:
        want = t.translate(s["src"], "zh", source="en").text
        # translate() on this thread, cancel() from another once the first piece is out. The
        # callback waits until cancel() has been called, so the call is certainly still running.
        cancelled = threading.Event()
        n = []

        def on_text(piece):
            n.append(piece)
            if len(n) == 1:
                threading.Thread(target=lambda: (t.cancel(), cancelled.set())).start()
                cancelled.wait(30)

        e = expect_raises(hymt.CancelledError, lambda: t.translate(s["src"], "zh", source="en", on_text=on_text),
                          "cancel() from another thread during translate()", status="cancelled")
        check(len(n) < len(list(t.stream(s["src"], "zh", source="en"))), "cancelled after %d pieces" % len(n))
        check(e is None or e.code == 8, "code %r" % getattr(e, "code", None))
        # A stream cancelled by another thread raises CancelledError from the iterator (a 40-line
        # document streams one segment at a time: after its first piece it is surely still running).
        doc = "".join(x["src"] + "\n" for x in sents)
        st = t.stream(doc, "zh", source="en", checks=False)
        next(st)
        threading.Thread(target=t.cancel).start()

        def drain():
            for _ in st:
                pass
        expect_raises(hymt.CancelledError, drain, "cancel() from another thread during a stream", status="cancelled")
        # Nothing running: cancel() is a no-op and the next call is not affected.
        t.cancel()
        check(t.translate(s["src"], "zh", source="en").text == want, "translate after cancel()")
        # A long document (decoded in batches, no streaming) cancelled from another thread once its
        # first segment is done: 119 are still to go.
        big = doc * 3
        once = []

        def on_segment(i, txt):
            if not once:
                once.append(i)
                done = threading.Event()
                threading.Thread(target=lambda: (t.cancel(), done.set())).start()
                done.wait(30)

        t0 = time.time()
        expect_raises(hymt.CancelledError, lambda: t.translate(big, "zh", source="en", checks=False, on_segment=on_segment),
                      "cancel() during a 120-line document")
        print("cancel: the document stopped %.2f s after it started" % (time.time() - t0))
        # close() from another thread during a call: the call is cancelled, the translator freed after it.
        t2 = model.translator()
        started = threading.Event()

        def slow(piece):
            started.set()
            time.sleep(0.05)

        out = {}

        def runner():
            try:
                out["r"] = t2.translate(doc, "zh", source="en", on_text=slow)
            except BaseException as e:  # noqa: B902
                out["e"] = e

        th = threading.Thread(target=runner)
        th.start()
        check(started.wait(30), "runner started")
        t2.close()
        th.join(30)
        check(isinstance(out.get("e"), hymt.CancelledError), "close() during a call: %r" % out)
        expect_raises(hymt.ClosedError, lambda: t2.translate("x", "zh"), "translate on the closed translator")
    # Exiting while calls run in daemon threads (one with a callback, one a stream that was never
    # closed): they are cancelled at exit, and the process ends cleanly (no abort from a thread
    # unwound through the library).
    prog = ("import hymt, sys, threading, time\n"
            "m = hymt.Model(sys.argv[1], threads=1); t = m.translator(); t2 = m.translator()\n"
            "doc = 'Der Hund bellt laut. Die Katze schlaeft.\\n' * 100\n"
            "started = threading.Event()\n"
            "def go():\n"
            "    try:\n"
            "        t.translate(doc, 'zh', on_text=lambda s: started.set())\n"
            "    except hymt.CancelledError:\n"
            "        print('cancelled at exit', flush=True)\n"
            "threading.Thread(target=go, daemon=True).start()\n"
            "started.wait(30)\n"
            "st = t2.stream(doc, 'zh')\n"
            "next(st)\n"
            "print('exiting', flush=True)\n")
    p = subprocess.run([sys.executable, "-c", prog, a.model], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0 and p.stdout.split() == ["exiting", "cancelled", "at", "exit"],
          "exit with running calls: rc %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr[-500:]))


def case_errors(a):
    import hymt
    tmp = tempfile.mkdtemp(dir=a.work)
    # Models.
    expect_raises(hymt.NotFoundError, lambda: hymt.Model(os.path.join(tmp, "missing.gguf")), "missing model file",
                  status="not_found", contains="missing.gguf")
    check(issubclass(hymt.NotFoundError, FileNotFoundError), "NotFoundError is a FileNotFoundError")
    bad = os.path.join(tmp, "garbage.gguf")
    with open(bad, "wb") as f:
        f.write(os.urandom(4096))
    expect_raises(hymt.CorruptFileError, lambda: hymt.Model(bad), "garbage bytes as a model", status="corrupt_file")
    trunc = os.path.join(tmp, "truncated.gguf")
    with open(a.model, "rb") as f, open(trunc, "wb") as g:
        g.write(f.read(100000))
    expect_raises(hymt.CorruptFileError, lambda: hymt.Model(trunc), "a truncated model", status="corrupt_file")
    expect_raises(hymt.InvalidArgumentError, lambda: hymt.Model(a.model, kv_type="q4"), "kv_type='q4'")
    expect_raises(TypeError, lambda: hymt.Model(a.model, threads="2"), "threads='2'")
    expect_raises(hymt.InvalidArgumentError, lambda: hymt.Model(a.model, n_ctx=0), "n_ctx=0", status="invalid_argument")
    expect_raises(hymt.InvalidArgumentError, lambda: hymt.Model(a.model, max_seqs=0), "max_seqs=0")
    expect_raises(hymt.NotFoundError, lambda: hymt.Model(tmp), "a directory as the model")
    with hymt.Model(a.model, threads=1, n_ctx=16, cache_mb=0, kv_type="f32") as small:  # the options reach the engine
        expect_raises(hymt.InvalidArgumentError, lambda: small.translate("The weather is nice today, is it not?", "zh"),
                      "a segment longer than n_ctx=16", contains="n_ctx 16")
    # Languages.
    expect_raises(hymt.InvalidArgumentError, lambda: hymt.find_language("Klingon"), "find_language('Klingon')",
                  status="invalid_argument")
    with hymt.Model(a.model, threads=1) as model:
        t = model.translator()
        s = "The weather is nice today."
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, "xx-nope"), "unknown target language",
                      status="invalid_argument", contains="xx-nope")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, "zh", source="Klingon"), "unknown source language",
                      status="invalid_argument")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, "zh", format="docx"), "unknown format",
                      status="invalid_argument", contains="docx")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate("", "zh"), "empty text", status="invalid_argument")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, "zh", sampling="wild"), "unknown sampling",
                      status="invalid_argument")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(" \n\t", "zh"), "blank text")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, "zh", temperature=float("nan")), "temperature NaN")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, "zh", glossary={"": "x"}), "an empty glossary term")
        expect_raises(hymt.CorruptFileError, lambda: t.translate('{"title": "Hello", ', "zh", format="json"),
                      "malformed JSON document", status="corrupt_file")
        expect_raises(hymt.InvalidArgumentError, lambda: t.translate(s, None), "no target language")
        expect_raises(TypeError, lambda: t.translate(None, "zh"), "text None")
        expect_raises(TypeError, lambda: t.translate(s, "zh", max_tokens="5"), "max_tokens='5'")
        expect_raises(TypeError, lambda: t.translate(s, "zh", bogus=1), "unknown keyword")
        # Files.
        out = os.path.join(tmp, "out.txt")
        with open(out, "w") as f:
            f.write("keep me")
        expect_raises(hymt.NotFoundError, lambda: t.translate_file(os.path.join(tmp, "nope.txt"), out, "zh"),
                      "missing input file", status="not_found")
        badjson = os.path.join(tmp, "bad.json")
        with open(badjson, "w") as f:
            f.write('{"a": [1, 2')
        expect_raises(hymt.CorruptFileError, lambda: t.translate_file(badjson, out, "zh"), "malformed JSON file",
                      status="corrupt_file")
        with open(out) as f:
            check(f.read() == "keep me", "a failed translate_file changed the existing output")
        good = os.path.join(tmp, "in.txt")
        with open(good, "w") as f:
            f.write(s + "\n")
        expect_raises(hymt.HymtIOError, lambda: t.translate_file(good, os.path.join(tmp, "no", "such", "dir.txt"), "zh"),
                      "an output in a missing folder", status="io")
        expect_raises(hymt.NotFoundError, lambda: t.translate(s, "zh", glossary_file=os.path.join(tmp, "none.tsv")),
                      "missing glossary file")
        # Tokens.
        expect_raises(hymt.InvalidArgumentError, lambda: model.detokenize([model.info.n_vocab + 5]),
                      "an id outside the vocabulary", status="invalid_argument")
        expect_raises(hymt.InvalidArgumentError, lambda: model.detokenize([2 ** 40]), "an id over 32 bits")
        # The library keeps its message per thread: an error on another thread does not change ours.
        mine = ""
        try:
            t.translate(s, "xx-nope")
        except hymt.InvalidArgumentError as e:
            mine = str(e)
        other = []
        th = threading.Thread(target=lambda: other.append(expect_raises(hymt.InvalidArgumentError,
                                                                       lambda: t.translate(s, "zh", format="docx"),
                                                                       "error on another thread")))
        th.start()
        th.join()
        check("xx-nope" in mine and other and "docx" in str(other[0]), "per-thread messages: %r, %r" % (mine, other))
        # Closed objects raise, never crash.
        t.close()
        t.close()  # twice is fine
        check(t.closed, "translator.closed")
        expect_raises(hymt.ClosedError, lambda: t.translate(s, "zh"), "translate on a closed translator",
                      status="invalid_argument")
        expect_raises(hymt.ClosedError, lambda: t.stream(s, "zh"), "stream on a closed translator")
        expect_raises(hymt.ClosedError, lambda: t.translate_file(out, out, "zh"), "translate_file on a closed translator")
        t.cancel()  # a no-op
        t2 = model.translator()
    # The model is closed (with block): its methods raise; a translator made before still works.
    check(model.closed, "model.closed")
    expect_raises(hymt.ClosedError, lambda: model.translator(), "translator() on a closed model")
    expect_raises(hymt.ClosedError, lambda: model.tokenize("x"), "tokenize on a closed model")
    expect_raises(hymt.ClosedError, lambda: model.detokenize([1]), "detokenize on a closed model")
    expect_raises(hymt.ClosedError, lambda: model.translate("x", "zh"), "translate on a closed model")
    check(isinstance(hymt.ClosedError("x"), ValueError), "ClosedError is a ValueError")
    r = t2.translate('"We now have 4-month-old mice that are non-diabetic that used to be diabetic," he added.', "zh",
                     source="en")
    check(r.text.startswith("他补充道"), "a translator outlives its closed model: %r" % r.text)
    t2.close()
    for cls in (hymt.InvalidArgumentError, hymt.NotFoundError, hymt.CorruptFileError, hymt.CancelledError,
                hymt.BusyError, hymt.ClosedError, hymt.LibraryError):
        check(issubclass(cls, hymt.HymtError), "%s is a HymtError" % cls.__name__)
    shutil.rmtree(tmp, ignore_errors=True)


def case_tokenize(a):
    import hymt
    texts = ['"We now have 4-month-old mice that are non-diabetic that used to be diabetic," he added.',
             "他补充道：“我们现在有 4 个月大没有糖尿病的老鼠。”", "Ça va très bien, merci ! Grüße aus Köln.",
             "  spaces\tand\ttabs  ", "<|startoftext|>hello<|extra_0|>", "emoji 🙂 and 漢字 and العربية"]
    with hymt.Model(a.model, threads=1) as model:
        for special in (False, True):
            args = [a.hymt, "tokenize", "--model", a.model, "--json", "--lines"] + (["--parse-special"] if special else [])
            lines = run(args, input="\n".join(texts) + "\n").stdout.strip("\n").split("\n")
            check(len(lines) == len(texts), "CLI lines %d" % len(lines))
            for text, line in zip(texts, lines):
                want = json.loads(line)["ids"]
                ids = model.tokenize(text, parse_special=special)
                check(ids == want, "tokenize(%r, parse_special=%s): %r, CLI %r" % (text, special, ids, want))
                back = model.detokenize(ids)
                cli = json.loads(run([a.hymt, "detokenize", "--model", a.model, "--json", ",".join(map(str, ids))]).stdout)["text"]
                check(back == cli, "detokenize %r vs CLI %r" % (back, cli))
                if not special:
                    check(back == text, "round trip %r -> %r" % (text, back))
        check(model.tokenize("") == [], "tokenize('')")
        check(model.detokenize([]) == "", "detokenize([])")
        long = "Hello world. " * 2000  # over any first buffer guess
        check(model.detokenize(model.tokenize(long)) == long, "long round trip")
        info = model.info
        cli = json.loads(run([a.hymt, "info", a.model, "--json"]).stdout)
        check(info.n_vocab == cli["hparams"]["n_vocab"] and info.n_layer == cli["hparams"]["n_layer"]
              and info.n_embd == cli["hparams"]["n_embd"] and info.family in ("hy-mt1.5", "hy-mt2"),
              "info %r vs CLI %r" % (info, cli["hparams"]))
        print("tokenize: %d texts agree with the CLI; info %r" % (len(texts), info))
    langs = hymt.languages()
    rows = run([a.hymt, "languages"]).stdout.strip("\n").split("\n")[1:]
    cli = [(r.split()[0], r.split()[1], r.split()[-1]) for r in rows]
    check([(x.code, x.flores, x.chinese) for x in langs] == cli, "languages %r vs CLI %r" % (langs, cli))
    check(len(langs) == 38, "%d languages" % len(langs))
    check(hymt.find_language("French") == "fr" and hymt.find_language("fra_Latn") == "fr"
          and hymt.find_language("法语") == "fr", "find_language")
    code, conf = hymt.detect("Das Wetter ist heute schön und ich gehe spazieren.")
    check(code == "de" and 0 < conf <= 1, "detect German: %r %r" % (code, conf))
    code, conf = hymt.detect("今天天气很好。")
    check(code == "zh", "detect Chinese: %r" % code)
    check(hymt.detect("12345 !!!") == (None, 0.0), "detect digits: %r" % (hymt.detect("12345 !!!"),))


def case_files(a):
    import hymt
    sents = [s for s in sentences(a.model_dir) if s["dir"] == "en-zh"][:3]
    tmp = tempfile.mkdtemp(dir=a.work)
    srt = os.path.join(tmp, "in.srt")
    with open(srt, "w", encoding="utf-8") as f:
        f.write("".join("%d\n00:00:%02d,000 --> 00:00:%02d,500\n%s\n\n" % (k + 1, 2 * k, 2 * k + 1, s["src"])
                        for k, s in enumerate(sents)))
    js = os.path.join(tmp, "in.json")
    with open(js, "w", encoding="utf-8") as f:
        json.dump({"title": sents[0]["src"], "page": {"intro": sents[1]["src"], "count": 3, "body": sents[2]["src"]}},
                  f, ensure_ascii=False, indent=2)
    with hymt.Model(a.model, threads=1) as model, model.translator() as t:
        for src in (srt, js):
            ext = os.path.splitext(src)[1]
            cli_out, py_out = os.path.join(tmp, "cli" + ext), os.path.join(tmp, "py" + ext)
            run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", "zh", "--doc-context", "0", "-q",
                 "-i", src, "-o", cli_out])
            r = t.translate_file(src, py_out, "zh", source="en", doc_context=0)
            with open(cli_out, "rb") as f, open(py_out, "rb") as g:
                want, got = f.read(), g.read()
            check(got == want, "%s: translate_file wrote %r, CLI %r" % (ext, got, want))
            check(r.text.encode("utf-8") == got, "%s: Result.text is the file written" % ext)
            check(r.json["format"] == ext[1:], "%s: report format %r" % (ext, r.json.get("format")))
            with open(src, encoding="utf-8") as f:
                r2 = t.translate(f.read(), "zh", source="en", format=ext[1:], doc_context=0)
            check(r2.text.encode("utf-8") == want, "%s: translate(format=) %r" % (ext, r2.text))
        for seg in r.segments:
            check(seg.where.startswith("key "), "JSON where %r" % seg.where)
    print("files: SRT and JSON through translate_file equal the CLI's files")
    shutil.rmtree(tmp, ignore_errors=True)


def case_example(a):
    script = os.path.join(ROOT, "examples", "translate.py")
    s = [x for x in sentences(a.model_dir) if x["dir"] == "en-fr"][0]
    want = run([a.hymt, "translate", "--model", a.model, "--from", "en", "--to", "fr", "-q"], input=s["src"] + "\n").stdout
    got = run([sys.executable, script, "fr", "--model", a.model, "--from", "en"], input=s["src"] + "\n", cwd="/").stdout
    check(got == want, "examples/translate.py printed %r, the CLI %r" % (got, want))
    got = run([sys.executable, script, "fr", "--model", a.model, "--from", "en", "--stream"], input=s["src"] + "\n",
              cwd="/").stdout
    check(got == want, "examples/translate.py --stream printed %r, the CLI %r" % (got, want))
    p = subprocess.run([sys.executable, script, "xx-nope", "--model", a.model], input="Hello.\n", capture_output=True,
                       text=True, cwd="/")
    check(p.returncode == 2 and "xx-nope" in p.stderr, "unknown language: rc %d, %r" % (p.returncode, p.stderr))
    print("example: %r" % got)


CASES = {"install": case_install, "layout": case_layout, "library": case_library, "translate": case_translate, "threads": case_threads,
         "stream": case_stream, "cancel": case_cancel, "errors": case_errors, "tokenize": case_tokenize,
         "files": case_files, "example": case_example}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hymt", required=True)
    ap.add_argument("--library", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--layout", help="the tests/python/layout.c program")
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    a.work = os.path.abspath(a.work)
    a.model_dir = os.path.dirname(os.path.abspath(a.model))
    if a.case == "install":
        case_install(a)
    else:
        reexec_in_venv(a)
        os.makedirs(a.work, exist_ok=True)
        CASES[a.case](a)
    if FAILS:
        sys.exit("%d check(s) failed" % len(FAILS))
    print("ok")


if __name__ == "__main__":
    main()
