// Characterizes the UltraScale+ delay model (codegen/timing/data/xcup.json) the timing-driven scheduler reads.
//
//   npx tsx scripts/characterize-delay.ts [--out codegen/timing/data/xcup.json] [--jobs 2] [--keep DIR]
//
// Each operation is measured alone in a micro-design (registered inputs -> one operation at width W -> registered
// output, clock `clk`) by the project's independent timing measure, ../shared/tools/yosys-sta.sh (Yosys 0.23
// `synth_xilinx -family xcup -abc9`, then `sta` with the cells' specify blocks: Artix-7 delay tables, logic only,
// no routing). It prints "<ps> <LUTs> <FFs>" for the longest register-to-register arrival; the op's own delay is
// that arrival minus the flip-flop's clock-to-Q. Cells the measure cannot see (DSP48E2, RAMB*, URAM288 and the
// UltraScale+ LUT-RAMs RAM32M16/RAM64M8 have no specify block) take data-sheet or cells_sim.v figures instead,
// cited below. docs/delay-model.md derives every constant and records the composite check.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STA = process.env.TICKFORGE_YOSYS_STA ?? resolve(repo, '../shared/tools/yosys-sta.sh');

// ---- fixed figures (not measurable by the Yosys `sta`) -------------------------------------------------------
// RAM64M / RAM32M read arc in Yosys' cells_sim.v (Artix-7, prjxray SDF): ADDR[0] -> DO = 642 ps, the same as a
// LUT6's slowest pin. The UltraScale+ LUT-RAMs Yosys maps to (RAM32M16, RAM64M8) have no timing arcs at all.
const LUTRAM_READ_ARC_NS = 0.642;
// AMD DS923 (Virtex UltraScale+ data sheet), DSP48 slice switching characteristics, -2 speed grade, VCCINT 0.85 V:
//   FMAX_NOPIPELINEREG (no MREG, no ADREG) 410 MHz -> 2.439 ns register to register through the multiplier;
//   FMAX (all registers used)              775 MHz -> 1.290 ns, the longest internal stage with MREG.
const DSP_NO_MREG_NS = 2.439;
// With MREG the longest half is the output half when P is not registered inside the DSP (M -> ALU -> P -> fabric);
// the all-register Fmax period (1.290 ns) does not contain the P output delay to the fabric, so add 0.3 ns for it.
const DSP_MREG_NS = 1.6;
// Block RAM / UltraRAM clock-to-out without the optional output register (the read data is used in the cycle after
// the address is registered). Recalled from DS923's block RAM / UltraRAM switching tables for -2 (~1.0-1.2 ns block
// RAM; UltraRAM slower), rounded up; for comparison Versal DS958 -2 gives TRCKO_DO 0.901 ns. Re-check before
// relying on them; with the output register (one more cycle) the clock-to-out drops to about 0.3-0.4 ns.
const BRAM_CLOCK_TO_OUT_NS = 1.2;
const URAM_CLOCK_TO_OUT_NS = 1.8;
// Average routing allowance per node; see docs/delay-model.md ("routing") and the composite check below.
const ROUTING_NS = 0.1;

// ---- micro-designs -------------------------------------------------------------------------------------------
type Op =
  | 'add' | 'cmp' | 'eq' | 'logic' | 'bool' | 'mux' | 'minmax' | 'sat' | 'shiftVar' | 'mulLut' | 'lutramRead';

interface Design {
  name: string;
  op: Op | 'wire' | 'composite';
  width: number;
  verilog: string;
}

const hi = (w: number) => w - 1;
const bus = (w: number) => (w > 1 ? `[${hi(w)}:0] ` : '');

/** registered inputs (one register per operand), `body` assigns y from them, registered output y. */
function micro(name: string, ins: [string, number][], outW: number, body: string, attrs = ''): string {
  const ports = ins.map(([n, w]) => `input ${bus(w)}${n}`).join(', ');
  const regs = ins.map(([n, w]) => `reg ${bus(w)}r${n};`).join(' ');
  const loads = ins.map(([n]) => `r${n} <= ${n};`).join(' ');
  return `// ${name}\n${attrs}module t(input clk, ${ports}, output reg ${bus(outW)}y);\n${regs}\n` +
    `always @(posedge clk) begin ${loads} y <= ${body}; end\nendmodule\n`;
}

/** a constant of w bits with mixed ones and zeros (so no compare against it degenerates to a single bit). */
function mixed(w: number, frac: number): string {
  const v = (1n << BigInt(w)) * BigInt(Math.round(frac * 1000)) / 1000n;
  return `${w}'d${v}`;
}

function design(op: Op, w: number): Design {
  const name = `${op}${w}`;
  const two: [string, number][] = [['a', w], ['b', w]];
  switch (op) {
    case 'add': return { name, op, width: w, verilog: micro(name, two, w, 'ra + rb') };
    case 'cmp': return { name, op, width: w, verilog: micro(name, two, 1, 'ra < rb') };
    case 'eq': return { name, op, width: w, verilog: micro(name, two, 1, 'ra == rb') };
    case 'logic': return { name, op, width: w, verilog: micro(name, two, w, 'ra ^ rb') };
    case 'bool': return { name, op, width: 1, verilog: micro(name, [['a', 1], ['b', 1]], 1, 'ra & rb') };
    case 'mux': return { name, op, width: w, verilog: micro(name, [['s', 1], ...two], w, 'rs ? ra : rb') };
    case 'minmax': return { name, op, width: w, verilog: micro(name, two, w, '(ra < rb) ? ra : rb') };
    case 'sat': {
      const lo = mixed(w, 0.2), up = mixed(w, 0.8);
      return { name, op, width: w, verilog: micro(name, [['a', w]], w, `(ra < ${lo}) ? ${lo} : (ra > ${up}) ? ${up} : ra`) };
    }
    case 'shiftVar': {
      const sw = Math.max(1, Math.ceil(Math.log2(w)));
      return { name, op, width: w, verilog: micro(name, [['a', w], ['s', sw]], w, 'ra << rs') };
    }
    case 'mulLut': {
      // Written as a sum of partial products, not `*`: Yosys maps an 8x8 `*` (16-bit result) to a DSP48E2,
      // which the measure cannot see. This is the array multiplier Yosys itself builds for a LUT multiply.
      const terms = Array.from({ length: w }, (_, i) => `(rb[${i}] ? {${w}'d0, ra} << ${i} : ${2 * w}'d0)`);
      return { name, op, width: w, verilog: micro(name, two, 2 * w, terms.join(' + ')) };
    }
    case 'lutramRead': {
      // Asynchronous read of a distributed RAM, address from a register (like a table read in a state stage).
      const aw = Math.log2(w), dw = 16;
      const verilog = `// ${name}\nmodule t(input clk, input we, input [${aw - 1}:0] wa, ra, input [${dw - 1}:0] d, ` +
        `output reg [${dw - 1}:0] y);\n(* ram_style = "distributed" *) reg [${dw - 1}:0] m [0:${w - 1}];\n` +
        `reg [${aw - 1}:0] rra;\nalways @(posedge clk) begin if (we) m[wa] <= d; rra <= ra; y <= m[rra]; end\nendmodule\n`;
      return { name, op, width: w, verilog };
    }
  }
}

// Widths chosen sparingly: the knees are where the carry chain or the LUT tree gains a level.
const plan: [Op, number[]][] = [
  ['add', [1, 4, 8, 16, 32, 64, 128]],
  ['cmp', [1, 4, 8, 16, 32, 64, 128]],
  ['eq', [1, 3, 6, 12, 18, 32, 64, 128]],
  ['logic', [1, 128]],
  ['bool', [1]],
  ['mux', [1, 128]],
  ['minmax', [1, 8, 16, 32, 64]],
  ['sat', [4, 8, 16, 32, 64]],
  ['shiftVar', [4, 8, 16, 32, 64, 128]],
  ['mulLut', [2, 4, 6, 8]],
  ['lutramRead', [32, 64, 256, 1024]],
];

// Composite check: chains of ops the scheduler will see, measured whole and estimated by the model.
interface Composite extends Design { nodes: [string, number][] }
const composites: Composite[] = [
  {
    name: 'add32->cmp->mux', op: 'composite', width: 32, nodes: [['add', 32], ['cmp', 32], ['mux', 32]],
    verilog: micro('add->cmp->mux', [['a', 32], ['b', 32], ['c', 32], ['d', 32]], 32,
      '((ra + rb) > rc) ? (ra + rb) : rd'),
  },
  {
    name: 'mux16 x4 chain', op: 'composite', width: 16, nodes: [['mux', 16], ['mux', 16], ['mux', 16], ['mux', 16]],
    verilog: micro('4-deep mux chain', [['s0', 1], ['s1', 1], ['s2', 1], ['s3', 1], ['a', 16], ['b', 16], ['c', 16],
      ['d', 16], ['e', 16]], 16, 'rs3 ? (rs2 ? (rs1 ? (rs0 ? ra : rb) : rc) : rd) : re'),
  },
  {
    // c <= (c + x > M) ? M : c + x, the counter is its own input (a state recurrence).
    name: 'sat counter 32', op: 'composite', width: 32, nodes: [['add', 33], ['cmp', 33], ['mux', 32]],
    verilog: `// saturating counter\nmodule t(input clk, input [31:0] x, output reg [31:0] y);\n` +
      `reg [31:0] rx; wire [32:0] s = y + rx;\n` +
      `always @(posedge clk) begin rx <= x; y <= (s > 33'd${0xfffff000}) ? 32'd${0xfffff000} : s[31:0]; end\nendmodule\n`,
  },
  {
    name: 'eq16->mux32', op: 'composite', width: 32, nodes: [['eq', 16], ['mux', 32]],
    verilog: micro('eq16 -> mux32', [['a', 16], ['b', 16], ['c', 32], ['d', 32]], 32, '(ra == rb) ? rc : rd'),
  },
  {
    name: 'add16->add16->cmp16', op: 'composite', width: 16, nodes: [['add', 16], ['add', 16], ['cmp', 16]],
    verilog: micro('add -> add -> cmp', [['a', 16], ['b', 16], ['c', 16], ['d', 16]], 1, '((ra + rb) + rc) < rd'),
  },
];

// ---- running the measure -------------------------------------------------------------------------------------
interface Measured { ps: number; luts: number; ffs: number }

function runSta(dir: string): Promise<Measured> {
  return new Promise((res, rej) => {
    execFile('bash', [STA, dir, 't'], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const m = /^(\d+) (\d+) (\d+)\s*$/m.exec(stdout);
      if (err || !m) return rej(new Error(`yosys-sta.sh ${dir}: ${err?.message ?? ''}\n${stdout}${stderr}`));
      res({ ps: Number(m[1]), luts: Number(m[2]), ffs: Number(m[3]) });
    });
  });
}

async function pool<T, R>(items: T[], jobs: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return out;
}

// ---- the model (the same interpolation the loader does) ------------------------------------------------------
type Table = Record<string, [number, number][]>;

export function interpolate(points: [number, number][], w: number): number {
  if (points.length === 1 || w <= points[0]![0]) return points[0]![1];
  for (let i = 1; i < points.length; i++) {
    const [w1, d1] = points[i]!;
    const [w0, d0] = points[i - 1]!;
    if (w <= w1 || i === points.length - 1) return d0 + ((d1 - d0) * (w - w0)) / (w1 - w0);
  }
  return points[points.length - 1]![1];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function args(): { out: string; jobs: number; keep?: string } {
  const a = process.argv.slice(2);
  const get = (k: string) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : undefined; };
  const jobs = Math.min(2, Math.max(1, Number(get('--jobs') ?? 2)));
  return { out: resolve(repo, get('--out') ?? 'codegen/timing/data/xcup.json'), jobs, keep: get('--keep') };
}

async function main(): Promise<void> {
  const { out, jobs, keep } = args();
  const root = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'tickforge-delay-'));
  const wire: Design = { name: 'wire', op: 'wire', width: 1, verilog: micro('wire', [['a', 1]], 1, 'ra') };
  const designs: Design[] = [wire, ...plan.flatMap(([op, ws]) => ws.map((w) => design(op, w))), ...composites];
  const t0 = Date.now();
  console.log(`characterize-delay: ${designs.length} micro-designs, ${jobs} at a time, measure ${STA}`);
  let done = 0;
  const results = await pool(designs, jobs, async (d, i) => {
    const dir = join(root, String(i).padStart(2, '0') + '-' + d.name.replace(/[^A-Za-z0-9]+/g, '_'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 't.v'), d.verilog);
    const m = await runSta(dir);
    done++;
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    console.log(`  [${String(done).padStart(2)}/${designs.length}] ${secs.padStart(3)}s ${d.name.padEnd(22)} ` +
      `${String(m.ps).padStart(5)} ps ${String(m.luts).padStart(4)} LUTs`);
    return m;
  });
  if (!keep) rmSync(root, { recursive: true, force: true });

  const clockToQ = results[0]!.ps / 1000; // FF -> FF with nothing between: the FDRE C->Q arc
  const ops: Table = {};
  designs.forEach((d, i) => {
    if (d.op === 'wire' || d.op === 'composite') return;
    const logic = Math.max(0, results[i]!.ps / 1000 - clockToQ);
    // The LUT-RAM cell has no timing arc, so the measure sees only the read mux after it: add the RAM's read arc.
    const ns = d.op === 'lutramRead' ? LUTRAM_READ_ARC_NS + logic : logic;
    (ops[d.op] ??= []).push([d.width, ns]);
  });
  for (const pts of Object.values(ops)) {
    pts.sort((p, q) => p[0] - q[0]);
    // A wider op is never estimated faster than a narrower one (abc9's mapping is not perfectly monotone).
    for (let i = 1; i < pts.length; i++) pts[i]![1] = Math.max(pts[i]![1], pts[i - 1]![1]);
    for (const p of pts) p[1] = round3(p[1]);
  }
  ops.dsp = [[1, DSP_NO_MREG_NS]];
  ops.dspRegistered = [[1, DSP_MREG_NS]];
  ops.bramClockToOut = [[1, BRAM_CLOCK_TO_OUT_NS]];
  ops.uramClockToOut = [[1, URAM_CLOCK_TO_OUT_NS]];
  // One LUT by the number of pins it uses: the LUT6 pin-to-O arcs of cells_sim.v (I5 127 ps .. I0 642 ps), the
  // fastest pins first as the mapper assigns them. The scheduler charges this for chains of bit operations it packs
  // into one LUT (codegen/timing/schedule.ts).
  ops.lut = [[1, 0.127], [2, 0.238], [3, 0.407], [4, 0.472], [5, 0.631], [6, 0.642]];

  const logicSum = (nodes: [string, number][]) => nodes.reduce((s, [op, w]) => s + interpolate(ops[op]!, w), 0);
  const estimate = (nodes: [string, number][]) => clockToQ + logicSum(nodes) + nodes.length * ROUTING_NS;
  console.log('\ncomposite check (model = clockToQ + sum(op + routing); Yosys = the measure, no routing):');
  console.log('| design | nodes | model ns | without routing | Yosys ns | model / Yosys |');
  console.log('|---|---|---|---|---|---|');
  designs.forEach((d, i) => {
    if (d.op !== 'composite') return;
    const c = d as Composite;
    const est = estimate(c.nodes), ys = results[i]!.ps / 1000;
    console.log(`| ${c.name} | ${c.nodes.map(([o, w]) => `${o}(${w})`).join(' + ')} | ${est.toFixed(3)} | ` +
      `${(clockToQ + logicSum(c.nodes)).toFixed(3)} | ${ys.toFixed(3)} | ${(est / ys).toFixed(2)} |`);
  });

  const order = ['add', 'cmp', 'eq', 'logic', 'bool', 'mux', 'lut', 'minmax', 'sat', 'shiftVar', 'mulLut', 'dsp',
    'dspRegistered', 'lutramRead', 'bramClockToOut', 'uramClockToOut'];
  const body = order.map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(ops[k])}`).join(',\n');
  const comment = 'Estimates in ns, not sign-off timing: op delays are Yosys 0.23 synth_xilinx -family xcup -abc9 + ' +
    'sta (Artix-7 delay tables, logic only) on one-op micro-designs, minus clock-to-Q; routing is an average ' +
    'allowance per node; dsp/dspRegistered/bramClockToOut/uramClockToOut and the LUT-RAM read arc come from the ' +
    'data sheet / cells_sim.v because the sta cannot see those cells. Generated by scripts/characterize-delay.ts; ' +
    'derivation in docs/delay-model.md.';
  const json = `{\n  "family": "xcup",\n  "comment": ${JSON.stringify(comment)},\n` +
    `  "clockToQ": ${round3(clockToQ)},\n  "setup": 0.0,\n  "routing": ${ROUTING_NS},\n  "ops": {\n${body}\n  }\n}\n`;
  JSON.parse(json);
  writeFileSync(out, json);
  console.log(`\nwrote ${out} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
