// `tickforge build`: design file -> <out>/rtl/*.v and <out>/report.json.
import fs from 'node:fs';
import path from 'node:path';
import { compile } from '../codegen/index.ts';
import { describeSpec } from '../dsl/types.ts';
import { buildRtl } from '../rtl/index.ts';

export interface BuildReport {
  design: string;
  file: string;
  top: string;
  pipelineLatencyCycles: number;
  initiationInterval: number;
  stages: string[];
  input: { record: string; bits: number; bytes: number; fields: Array<{ name: string; type: string; lsb: number; width: number }> };
  output: { record: string; bits: number; bytes: number; fields: Array<{ name: string; type: string; lsb: number; width: number }> };
  params: Array<{ name: string; type: string; width: number; offset: string; words: number; default: string; doc?: string }>;
  state: Array<{ name: string; type: string; reset: string }>;
  tables: Array<{ name: string; key: string; value: string; capacity: number }>;
  files: string[];
  seconds: number;
}

export function build(file: string, out: string): BuildReport {
  const t0 = performance.now();
  const ir = compile(file);
  const rtlDir = path.join(out, 'rtl');
  const rtl = buildRtl(ir, rtlDir);
  const layout = (r: typeof ir.input) => ({
    record: r.name,
    bits: r.width,
    bytes: r.bytes,
    fields: r.fields.map((f) => ({ name: f.name, type: describeSpec(f.spec), lsb: f.lsb, width: f.spec.width })),
  });
  const report: BuildReport = {
    design: ir.name,
    file: ir.file,
    top: rtl.top,
    pipelineLatencyCycles: rtl.schedule.latency,
    initiationInterval: 1,
    stages: ['input register', ...(rtl.schedule.hasPreStage ? ['pre-compute (input and params only)'] : []), 'state and decision, output register'],
    input: layout(ir.input),
    output: layout(ir.output),
    params: ir.params.map((p) => ({
      name: p.name,
      type: describeSpec(p.spec),
      width: p.spec.width,
      offset: `0x${p.offset.toString(16).padStart(2, '0')}`,
      words: p.words,
      default: p.init.toString(),
      doc: p.doc,
    })),
    state: ir.regs.map((r) => ({ name: r.name, type: describeSpec(r.spec), reset: r.init.toString() })),
    tables: ir.tables.map((t) => ({ name: t.name, key: describeSpec(t.key), value: describeSpec(t.value), capacity: t.capacity })),
    files: [...rtl.files.keys()].map((f) => `rtl/${f}`),
    seconds: 0,
  };
  report.seconds = (performance.now() - t0) / 1000;
  const { seconds: _s, ...stable } = report; // report.json is deterministic: no timings in it
  void _s;
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(stable, null, 2) + '\n');
  return report;
}
