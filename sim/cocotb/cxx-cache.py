#!/usr/bin/env python3
"""The C++ compiler of the cocotb Verilator build (sim/cocotb/index.ts passes CXX=<this file> to make).

Every design's build compiles the same four Verilator runtime sources (verilated.cpp, verilated_vpi.cpp,
verilated_dpi.cpp, verilated_threads.cpp): about 12 s of the 15 s a small design's build takes on this machine.
This compiles each of them once per exact command line and source text and copies the object (and its
dependency file) into later builds; every other command (the design, cocotb's main, the link) runs as it is.
Cache: $TICKFORGE_CXX_CACHE (unset: no caching). The real compiler: $TICKFORGE_REAL_CXX, default c++.
"""

import hashlib
import os
import shutil
import subprocess
import sys


def main(args: list[str]) -> int:
    real = os.environ.get("TICKFORGE_REAL_CXX") or "c++"
    cache = os.environ.get("TICKFORGE_CXX_CACHE")
    sources = [a for a in args if a.endswith(".cpp")]
    cacheable = (cache and "-c" in args and "-o" in args and len(sources) == 1
                 and os.path.basename(sources[0]).startswith("verilated") and os.path.isabs(sources[0]))
    if not cacheable:
        os.execvp(real, [real, *args])
    out = args[args.index("-o") + 1]
    dep = os.path.splitext(out)[0] + ".d"
    h = hashlib.sha256()
    # The key: the compiler, the command line without the output name, and the source's text (its headers live in
    # the Verilator install, whose path, in the command line, names its version).
    for a in [real, *(a for i, a in enumerate(args) if a != "-o" and (i == 0 or args[i - 1] != "-o"))]:
        h.update(a.encode() + b"\0")
    with open(sources[0], "rb") as f:
        h.update(f.read())
    entry = os.path.join(cache, h.hexdigest()[:24])
    if os.path.exists(entry + ".o") and os.path.exists(entry + ".d"):
        shutil.copyfile(entry + ".o", out)
        shutil.copyfile(entry + ".d", dep)
        return 0
    rc = subprocess.call([real, *args])
    if rc == 0 and os.path.exists(out) and os.path.exists(dep):
        os.makedirs(cache, exist_ok=True)
        for src, ext in ((dep, ".d"), (out, ".o")):  # the .o last: its presence means the entry is whole
            tmp = f"{entry}{ext}.tmp-{os.getpid()}"
            shutil.copyfile(src, tmp)
            os.replace(tmp, entry + ext)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
