#!/usr/bin/env bash
# setup.sh: installs the Debian packages that building and testing hymt need, and the npm packages
# used only as independent test oracles. Idempotent; safe to run on a fresh Debian 12 machine as root
# (or with sudo available). Set HYMT_SETUP_SKIP_APT=1 to skip the apt step.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(build-essential cmake pkg-config git
      libgtest-dev libgmock-dev libbenchmark-dev
      nlohmann-json3-dev libcli11-dev libpcre2-dev libgumbo-dev libcpp-httplib-dev libicu-dev
      python3 python3-numpy
      python3-pip python3-setuptools python3-venv default-jdk-headless
      chromium fonts-wqy-zenhei)
# python3-pip/-setuptools/-venv: the Python binding's tests install it offline into a venv
# (`pip install ./python`); default-jdk-headless: javac and the JNI headers of the Java binding.
# chromium: the browser the web page's tests drive headless (tests/web); a CJK font so that its
# screenshots show Chinese text instead of empty boxes.
# ARM kernels are cross-built and their tests run under qemu-user (scripts/test-arm.sh); googletest
# ships the GoogleTest sources that script compiles for aarch64.
if [ "$(uname -m)" = x86_64 ]; then
  pkgs+=(g++-aarch64-linux-gnu qemu-user googletest)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${HYMT_SETUP_SKIP_APT:-0}" != 1 ] && [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup: system packages ready"

# npm test oracles (tests/tokenizer/package.json, pinned by its package-lock.json): Hugging Face's
# Rust tokenizers (Node bindings with a prebuilt binary), its JavaScript port and @huggingface/jinja.
# Installed into tests/tokenizer/node_modules (git-ignored); skipped when already in place.
tok_dir="$here/tests/tokenizer"
if ! command -v npm >/dev/null 2>&1; then
  if [ "${HYMT_SETUP_SKIP_APT:-0}" != 1 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends nodejs npm
  fi
fi
if [ -f "$tok_dir/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
  if ! (cd "$tok_dir" && NODE_PATH="$tok_dir/node_modules" node -e \
        "require('tokenizers'); require.resolve('@huggingface/tokenizers'); require.resolve('@huggingface/jinja')" \
        >/dev/null 2>&1 && cmp -s package-lock.json node_modules/.package-lock.json.hymt); then
    (cd "$tok_dir" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.hymt)
  fi
  echo "setup: npm test oracles ready"
fi

# npm test clients of the server (tests/server/node/package.json, pinned by its lock): the official
# OpenAI SDK and the LibreTranslate client, run against `hymt serve` as its users run them.
srv_dir="$here/tests/server/node"
if [ -f "$srv_dir/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
  if ! cmp -s "$srv_dir/package-lock.json" "$srv_dir/node_modules/.package-lock.json.hymt" 2>/dev/null; then
    (cd "$srv_dir" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.hymt)
  fi
  echo "setup: npm server test clients ready"
fi

# The web page's browser tests (tests/web/package.json, pinned by its lock): playwright-core drives
# Debian's Chromium (no browser download), axe-core scans the page.
web_dir="$here/tests/web"
if [ -f "$web_dir/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
  if ! cmp -s "$web_dir/package-lock.json" "$web_dir/node_modules/.package-lock.json.hymt" 2>/dev/null; then
    (cd "$web_dir" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.package-lock.json.hymt)
  fi
  echo "setup: npm web test packages ready"
fi
