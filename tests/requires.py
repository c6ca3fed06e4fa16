"""requires.py: how a script-driven test says "cannot run here" instead of failing. A test whose
inputs a checkout may lack (../shared/data, the npm oracles in tests/tokenizer/node_modules) prints
"SKIPPED: <what is missing>" and exits with SKIP_CODE; tests/CMakeLists.txt gives those tests the
ctest property SKIP_RETURN_CODE ${HYMT_SKIP_CODE} (the same 77), so ctest counts them as skipped.
Call these before the test does anything else.
"""
import os
import shutil
import sys

SKIP_CODE = 77
TOKENIZER_NODE_MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizer", "node_modules")


class Missing(Exception):
    """Raised by a part of a test that needs an input that is missing; the test catches it and skips."""


def skip(why):
    print("SKIPPED: " + why, flush=True)
    sys.exit(SKIP_CODE)


def missing_shared_data(data_dir, *rels):
    """The first of the paths rels (relative to the shared data folder data_dir) that does not exist, or None."""
    for rel in rels:
        if not os.path.exists(os.path.join(data_dir, rel)):
            return "needs ../shared/data/%s: not found (looked in %s)" % (rel, data_dir)
    return None


def missing_npm(*packages):
    """Why the npm packages (installed by scripts/setup.sh into tests/tokenizer/node_modules) cannot
    run: node not on PATH or a package not installed; None when they can."""
    if shutil.which("node") is None:
        return "needs node (scripts/setup.sh installs it): not found on PATH"
    for p in packages:
        if not os.path.isfile(os.path.join(TOKENIZER_NODE_MODULES, p, "package.json")):
            return "needs the npm package %s in %s (run scripts/setup.sh): not found" % (p, TOKENIZER_NODE_MODULES)
    return None


def need_shared_data(data_dir, *rels):
    why = missing_shared_data(data_dir, *rels)
    if why:
        skip(why)


def need_npm(*packages):
    why = missing_npm(*packages)
    if why:
        skip(why)
