#!/usr/bin/env python3
"""The installed C API, as an app developer meets it.

`cmake --install BUILD --prefix TMP/prefix`, then:
  - the tree holds include/hymt/hymt.h, libhymt.so (a link to libhymt.so.1), libhymt.a,
    lib/pkgconfig/hymt.pc and lib/cmake/hymt/hymtConfig.cmake;
  - libhymt.so's SONAME is libhymt.so.1 and it exports only hymt_* functions (nm -D), each one the
    header declares, and every function the header declares;
  - examples/translate.c, a C program, builds with `cc $(pkg-config --cflags --libs hymt)` against
    the shared library and with `pkg-config --static` against libhymt.a, and a C-only CMake project
    builds it through find_package(hymt); each binary translates demo-model test sentences from
    stdin to exactly what `hymt translate` prints.
Usage: install_test.py --build DIR --source DIR --hymt BIN --lib SO --static-lib A --model GGUF
                       --golden JSON --tmp DIR
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


def run(cmd, env=None, input=None, cwd=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, input=input, cwd=cwd)
    if p.returncode != 0:
        sys.exit("FAIL: %s exited %d\nstdout: %s\nstderr: %s" % (" ".join(cmd), p.returncode, p.stdout[-3000:],
                                                                  p.stderr[-3000:]))
    return p


def header_functions(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r"HYMT_API\s+[^;(]*?\b(hymt_\w+)\s*\(", text))


def main():
    ap = argparse.ArgumentParser()
    for k in ("build", "source", "hymt", "lib", "static-lib", "model", "golden", "tmp"):
        ap.add_argument("--" + k, required=True)
    a = ap.parse_args()
    shutil.rmtree(a.tmp, ignore_errors=True)
    os.makedirs(a.tmp)
    prefix = os.path.join(a.tmp, "prefix")
    run(["cmake", "--install", a.build, "--prefix", prefix])

    libdir = os.path.join(prefix, "lib")
    for rel in ("include/hymt/hymt.h", "lib/libhymt.so", "lib/libhymt.so.1", "lib/libhymt.a", "lib/pkgconfig/hymt.pc",
                "lib/cmake/hymt/hymtConfig.cmake", "lib/cmake/hymt/hymtConfigVersion.cmake",
                "lib/cmake/hymt/hymtTargets.cmake"):
        check(os.path.exists(os.path.join(prefix, rel)), "installed: " + rel)
    check(os.path.islink(os.path.join(libdir, "libhymt.so")), "libhymt.so is a link (to the SONAME file)")

    # SONAME and exports.
    dyn = run(["objdump", "-p", os.path.join(libdir, "libhymt.so")]).stdout
    m = re.search(r"SONAME\s+(\S+)", dyn)
    check(m and m.group(1) == "libhymt.so.1", "SONAME libhymt.so.1, got %s" % (m.group(1) if m else None))
    syms = run(["nm", "-D", "--defined-only", os.path.join(libdir, "libhymt.so")]).stdout.split("\n")
    exported = set()
    for line in syms:
        parts = line.split()
        if len(parts) >= 3:
            exported.add(parts[2])
    declared = header_functions(os.path.join(prefix, "include/hymt/hymt.h"))
    check(len(declared) > 20, "the header declares the API (%d functions found)" % len(declared))
    stray = sorted(s for s in exported if not s.startswith("hymt_"))
    check(not stray, "only hymt_* symbols exported, also: %s" % stray[:20])
    check(exported == declared, "exported = declared; missing %s, undeclared %s"
          % (sorted(declared - exported), sorted(exported - declared)))
    print("libhymt.so: SONAME %s, %d symbols exported, all hymt_*" % (m.group(1) if m else "?", len(exported)))

    # Inputs: a few test sentences per direction the demo model knows, one stdin each.
    with open(a.golden, encoding="utf-8") as f:
        sents = [s for s in json.load(f)["sentences"] if s.get("e2e", True)]
    picked, seen = [], {}
    for s in sents:
        if seen.get(s["dir"], 0) < 2:
            seen[s["dir"]] = seen.get(s["dir"], 0) + 1
            picked.append(s)

    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
    example = os.path.join(a.source, "examples", "translate.c")
    cc = os.environ.get("CC", "cc")
    cflags = run(["pkg-config", "--cflags", "hymt"], env=env).stdout.split()
    libs = run(["pkg-config", "--libs", "hymt"], env=env).stdout.split()
    static_libs = run(["pkg-config", "--static", "--libs", "hymt"], env=env).stdout.split()
    check(any(x.startswith("-I") and x.endswith("/include") for x in cflags), "pkg-config --cflags: %s" % cflags)
    shared_bin = os.path.join(a.tmp, "translate_shared")
    run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", example, "-o", shared_bin] + cflags + libs +
        ["-Wl,-rpath," + libdir])
    static_bin = os.path.join(a.tmp, "translate_static")
    # -l:libhymt.a picks the archive although libhymt.so sits beside it; the rest is Libs.private.
    static_flags = [x for x in static_libs if x != "-lhymt"]
    run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", example, "-o", static_bin] + cflags + ["-l:libhymt.a"] +
        static_flags)
    needed = run(["objdump", "-p", static_bin]).stdout
    check("libhymt" not in needed, "the static binary needs no libhymt.so")

    cm_build = os.path.join(a.tmp, "find_package_build")
    run(["cmake", "-S", os.path.join(a.source, "tests", "capi", "find_package"), "-B", cm_build,
         "-DCMAKE_PREFIX_PATH=" + prefix, "-DEXAMPLE_SOURCE=" + example, "-DCMAKE_BUILD_TYPE=Release"])
    run(["cmake", "--build", cm_build])
    cm_bin = os.path.join(cm_build, "translate")

    bad = 0
    for s in picked:
        src, tgt = s["dir"].split("-")
        cli = run([a.hymt, "translate", "--model", a.model, "--from", src, "--to", tgt, "-q", s["src"]]).stdout
        for name, b in (("pkg-config shared", shared_bin), ("pkg-config static", static_bin), ("find_package", cm_bin)):
            got = run([b, a.model, tgt], input=s["src"]).stdout
            if not check(got == cli, "%s: %s line %d: %r, hymt translate %r" % (name, s["dir"], s["line"], got, cli)):
                bad += 1
    print("examples/translate.c through pkg-config (shared, static) and find_package: %d / %d outputs equal the CLI"
          % (3 * len(picked) - bad, 3 * len(picked)))
    # An unknown language: a message and a non-zero exit, no crash.
    p = subprocess.run([shared_bin, a.model, "klingon"], input="Hello", capture_output=True, text=True, timeout=60)
    check(p.returncode == 1 and "klingon" in p.stderr, "unknown language: exit %d, %r" % (p.returncode, p.stderr))
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
