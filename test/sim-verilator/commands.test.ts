// Command construction and validation: no Verilator needed.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { harnessBuildCommands, renderHarness } from '../../sim/verilator/index.ts';
import { verilatorCommand } from '../../sim/tools.ts';
import { pipe40 } from './helpers.ts';

describe('harnessBuildCommands', () => {
  const [verilate, make] = harnessBuildCommands(pipe40, '/build');

  it('verilates with the fixed options into the build directory only', () => {
    expect(verilate[0]).toBe(verilatorCommand().cmd);
    const flags = verilate.slice(1).join(' ');
    expect(flags).toContain('--cc --exe -O3 --x-assign fast --x-initial fast -Wno-fatal');
    expect(flags).not.toContain('--trace');
    expect(flags).toContain('--top-module pipe40 --prefix Vdut -Mdir /build/obj -o Vharness');
    expect(flags).toContain('-CFLAGS -std=c++17');
    // Sources are the copies under <build>/rtl, sorted by name, after the harness.
    expect(verilate.slice(-4)).toEqual(['-I/build/rtl', '/build/harness.cpp', '/build/rtl/axil_regs.v', '/build/rtl/pipe40.v']);
  });

  it('compiles with make in the object directory', () => {
    expect(make.slice(0, 5)).toEqual(['make', '-C', '/build/obj', '-f', 'Vdut.mk']);
    expect(make).toContain('OPT_FAST=-O1');
    expect(make).toContain('VM_PARALLEL_BUILDS=0');
    expect(make).toContain('PYTHON3=python3');
  });

  it('compiles tracing in only for the traced variant, which differs only in that', () => {
    const [tv, tm] = harnessBuildCommands(pipe40, '/build', { trace: true });
    expect(tv.slice(1).join(' ')).toContain('--x-initial fast --trace-fst -Wno-fatal');
    expect(tv.filter((a) => a !== '--trace-fst')).toEqual(verilate);
    // Trace code is large: that build stays per-file (parallel, precompiled headers).
    expect(tm).not.toContain('VM_PARALLEL_BUILDS=0');
    expect(make.filter((a) => a !== 'VM_PARALLEL_BUILDS=0')).toEqual(tm);
  });

  it('copies include headers without compiling them', () => {
    const cmds = harnessBuildCommands({ ...pipe40, files: ['pipe40.v', 'axil_regs.v', 'inc/defs.vh'] }, '/b');
    expect(cmds[0].filter((a) => a.startsWith('/b/rtl/'))).toEqual(['/b/rtl/axil_regs.v', '/b/rtl/pipe40.v']);
  });

  it('does not depend on where the design was emitted', () => {
    const moved = { ...pipe40, rtlDir: '/elsewhere', files: pipe40.files.map((f) => path.join('/elsewhere', f)) };
    expect(harnessBuildCommands(moved, '/build')).toEqual(harnessBuildCommands(pipe40, '/build'));
  });

  it('rejects designs the harness cannot drive', () => {
    expect(() => harnessBuildCommands({ ...pipe40, inBytes: 65 }, '/b')).toThrow(
      'design `pipe40`: inBytes is 65; records must be 1 to 64 bytes.',
    );
    expect(() => harnessBuildCommands({ ...pipe40, outBytes: 0 }, '/b')).toThrow(
      'design `pipe40`: outBytes is 0; records must be 1 to 64 bytes.',
    );
    expect(() => harnessBuildCommands({ ...pipe40, files: ['a/x.v', 'b/x.v'] }, '/b')).toThrow(
      'design `pipe40`: two Verilog files share the name x.v: a/x.v and b/x.v.',
    );
    expect(() => harnessBuildCommands({ ...pipe40, top: '1bad' }, '/b')).toThrow('design `1bad`: top module name is not a Verilog identifier.');
  });
});

describe('renderHarness', () => {
  it('bakes the record widths into the C++', () => {
    const cpp = renderHarness(pipe40);
    expect(cpp).toContain('static constexpr size_t IN_BYTES = 5;');
    expect(cpp).toContain('static constexpr size_t OUT_BYTES = 5;');
    expect(cpp).toContain('static constexpr unsigned AXIL_ADDR_BITS = 4;');
    expect(cpp).toContain('design `pipe40`');
  });
});
