#!/usr/bin/env python3
"""Translate standard input with the hymt Python package and print the result.

    echo "The weather is nice today." | python3 examples/translate.py zh --model HY-MT1.5-1.8B-Q8_0.gguf

Without --model it uses $HYMT_MODEL, else the repository's demo model (which knows only its
training sentences). --stream prints a one-line text as it is decoded.
"""
import argparse
import os
import sys

import hymt

DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "demo", "hy-mt-demo.gguf")


def main():
    ap = argparse.ArgumentParser(description="Translate stdin with hymt")
    ap.add_argument("target", help="target language: a code, FLORES code or name (zh, fra_Latn, German)")
    ap.add_argument("--model", default=os.environ.get("HYMT_MODEL") or DEMO, help="a HY-MT GGUF file")
    ap.add_argument("--from", dest="source", default="auto", help="source language (default: detect)")
    ap.add_argument("--stream", action="store_true", help="print the translation as it is decoded")
    a = ap.parse_args()
    text = sys.stdin.read()
    try:
        with hymt.Model(a.model) as model, model.translator() as t:
            if a.stream:
                for piece in t.stream(text.rstrip("\n"), to=a.target, source=a.source):
                    print(piece, end="", flush=True)
                print()
            else:
                sys.stdout.write(t.translate(text, to=a.target, source=a.source).text)
    except hymt.HymtError as e:
        print("translate.py: %s" % e, file=sys.stderr)
        sys.exit(2 if isinstance(e, hymt.InvalidArgumentError) else 1)


if __name__ == "__main__":
    main()
