#!/usr/bin/env bash
# setup.sh: installs the Debian packages that building and testing hymt need, and the npm packages
# used only as independent test oracles. Idempotent; safe to run on a fresh Debian 12 machine as root
# (or with sudo available). Set HYMT_SETUP_SKIP_APT=1 to skip the apt step.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(build-essential cmake pkg-config git
      libgtest-dev libgmock-dev libbenchmark-dev
      nlohmann-json3-dev libcli11-dev libpcre2-dev
      python3 python3-numpy)

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
