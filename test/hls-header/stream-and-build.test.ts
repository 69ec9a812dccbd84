// hls_stream.h / ap_axi_sdata.h behaviour, UG1399 documentation examples,
// C++17 and C++20 clean builds, and the loud-failure contract of ap_int.h:
// over-wide results are compile errors, misuse at run time aborts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HLS_INCLUDE } from "./harness.ts";

const work = mkdtempSync(join(tmpdir(), "tf-hls-build-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", rej);
    p.on("close", (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

let counter = 0;
function gxx(source: string, opts: { std?: string; syntaxOnly?: boolean } = {}): Promise<Run & { exe: string }> {
  const name = `p${counter++}`;
  const src = join(work, `${name}.cpp`);
  const exe = join(work, name);
  writeFileSync(src, source);
  const args = [`-std=${opts.std ?? "c++17"}`, "-O1", "-Wall", "-Wextra", "-Werror", "-I", HLS_INCLUDE, src];
  if (opts.syntaxOnly) args.push("-fsyntax-only");
  else args.push("-o", exe);
  return run("g++", args).then((r) => ({ ...r, exe }));
}

async function buildAndRun(source: string, std = "c++17"): Promise<Run> {
  const c = await gxx(source, { std });
  expect(c.stderr, `compile failed:\n${c.stderr}`).toBe("");
  expect(c.code).toBe(0);
  return run(c.exe, []);
}

const SMOKE = String.raw`
#include "ap_int.h"
#include "hls_stream.h"
#include "ap_axi_sdata.h"
#include <cstdio>

struct Tick { ap_uint<32> px; ap_int<16> qty; };

int main() {
  // UG1399 "Concatenation" example.
  ap_uint<10> Rslt;
  ap_int<3> Val1 = -3;
  ap_int<7> Val2 = 54;
  Rslt = (Val2, Val1); std::printf("%llx ", Rslt.to_uint64());
  Rslt = Val1.concat(Val2); std::printf("%llx ", Rslt.to_uint64());
  (Val1, Val2) = 0xAB; std::printf("%d %d\n", Val1.to_int(), Val2.to_int());
  // UG1399 "Zero- and Sign-Extension on Assignment" example.
  ap_uint<10> Result; ap_int<7> V1 = 0x7f; ap_uint<6> V2 = 0x3f;
  Result = V1; std::printf("%llx ", Result.to_uint64());
  Result = V2; std::printf("%llx ", Result.to_uint64());
  Result = ap_uint<7>(V1); std::printf("%llx ", Result.to_uint64());
  Result = ap_int<6>(V2); std::printf("%llx\n", Result.to_uint64());

  // Proxies inside concatenations: swap nibbles through two ranges, a bit
  // select as a 1-bit operand, three-way concatenation read and write.
  ap_uint<8> nib = 0x3c;
  (nib.range(3, 0), nib.range(7, 4)) = ap_uint<8>(nib);
  ap_uint<4> h4 = 0xa; ap_uint<1> one = 1; ap_int<3> s3 = -1;
  auto cat3 = (h4, one, s3);
  std::printf("%llx %llx %d %d ", nib.to_uint64(), cat3.get().to_uint64(), (int)decltype(cat3)::width, (int)(nib.range(3, 0), nib[7]).length());
  (h4, one, s3) = 0x5a;
  std::printf("%u %u %d %d %d\n", h4.to_uint(), one.to_uint(), s3.to_int(), (int)nib.range(7, 4)[0], (int)nib[2]);

  // Streams.
  hls::stream<ap_uint<64>> s("md_in");
  hls::stream<Tick, 8> ticks;
  std::printf("%d %d %zu\n", (int)s.empty(), (int)s.full(), s.size());
  s.write(1); s << ap_uint<64>(2); s.write_nb(3);
  std::printf("%zu %s\n", s.size(), s.name().c_str());
  ap_uint<64> v = s.read(); ap_uint<64> w; s.read(w); ap_uint<64> x; s >> x;
  std::printf("%llu %llu %llu %d\n", v.to_uint64(), w.to_uint64(), x.to_uint64(), (int)s.empty());
  ap_uint<64> y = 7; bool ok = s.read_nb(y);
  std::printf("%d %llu\n", (int)ok, y.to_uint64());
  ticks.write(Tick{100, -5});
  Tick t = ticks.read();
  std::printf("%u %d %d\n", t.px.to_uint(), t.qty.to_int(), (int)ticks.empty());

  // AXI4-Stream beat.
  hls::axis<ap_uint<64>, 0, 0, 0> beat;
  beat.data = 0x1122334455667788ull; beat.keep = -1; beat.strb = -1; beat.last = 1;
  hls::stream<hls::axis<ap_uint<64>, 0, 0, 0>> axs("axis_out");
  axs.write(beat);
  auto b2 = axs.read();
  std::printf("%llx %u %u %u %d\n", b2.data.to_uint64(), b2.keep.to_uint(), b2.strb.to_uint(), b2.last.to_uint(), (int)decltype(b2.keep)::width);
  hls::axis<ap_uint<32>, 2, 3, 4> side; side.user = 3; side.id = 5; side.dest = 9;
  std::printf("%u %u %u\n", side.user.to_uint(), side.id.to_uint(), side.dest.to_uint());
  return 0;
}
`;

const SMOKE_OUT = [
  "1b5 2b6 1 43",
  "3ff 3f 7f 3ff",
  "c3 af 8 5 5 1 2 0 0",
  "1 0 0",
  "3 md_in",
  "1 2 3 1",
  "0 7",
  "100 -5 1",
  "1122334455667788 255 255 1 8",
  "3 5 9",
  "",
].join("\n");

describe("hls/include builds cleanly and behaves as documented", () => {
  for (const std of ["c++17", "c++20"]) {
    it(`ap_int.h + hls_stream.h + ap_axi_sdata.h: -std=${std} -Wall -Wextra -Werror, UG1399 examples, streams, AXIS`, async () => {
      const r = await buildAndRun(SMOKE, std);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(SMOKE_OUT);
    }, 60_000);
  }

  it("a blocking read from an empty stream prints an error naming the stream and aborts", async () => {
    const [byValue, byRef] = await Promise.all([
      buildAndRun(String.raw`
#include "hls_stream.h"
int main() { hls::stream<int> s("book_updates"); s.write(1); (void)s.read(); return s.read(); }`),
      buildAndRun(String.raw`
#include "ap_int.h"
#include "hls_stream.h"
int main() { hls::stream<ap_uint<8>> s("orders_out"); ap_uint<8> v; s.read(v); return 0; }`),
    ]);
    expect(byValue.signal).toBe("SIGABRT");
    expect(byValue.stderr).toContain("'book_updates'");
    expect(byValue.stderr).toContain("empty");
    expect(byRef.signal).toBe("SIGABRT");
    expect(byRef.stderr).toContain("'orders_out'");
  }, 60_000);

  it("run-time misuse of ap_int.h aborts loudly (division by zero, bad bit index, bad or reversed range)", async () => {
    const prog = (body: string) => String.raw`
#include "ap_int.h"
#include <cstdlib>
int main(int argc, char**) { volatile int n = argc - 1; (void)n; ${body} return 0; }`;
    const runs = await Promise.all([
      buildAndRun(prog("ap_uint<8> a = 5; ap_uint<8> z = n; auto q = a / z; return (int)q.to_uint();")),
      buildAndRun(prog("ap_int<8> a = 5; ap_int<8> z = n; a %= z; return a.to_int();")),
      buildAndRun(prog("ap_uint<8> a = 5; return (int)a[8 + n];")),
      buildAndRun(prog("ap_uint<8> a = 5; a[-1 - n] = 1; return a.to_int();")),
      buildAndRun(prog("ap_uint<8> a = 5; return (int)a.range(8 + n, 0).to_uint();")),
      buildAndRun(prog("ap_uint<8> a = 5; return (int)a.range(0, 3 + n).to_uint();")),
    ]);
    const expectMsg = ["division or modulus by zero", "division or modulus by zero", "bit index out of range",
      "bit index out of range", "index out of range", "bit-reversed range"];
    runs.forEach((r, i) => {
      expect(r.signal, `case ${i}: ${r.stderr}`).toBe("SIGABRT");
      expect(r.stderr).toContain(expectMsg[i]!);
    });
  }, 60_000);

  it("results wider than 64 bits, widths outside 1..64 and other misuse are compile-time errors", async () => {
    const cases: [string, string][] = [
      ["ap_uint<64> a = 1, b = 2; auto c = a * b; (void)c;", "wider than 64 bits"],
      ["ap_int<33> a = 1; ap_int<32> b = 2; auto c = a * b; (void)c;", "wider than 64 bits"],
      ["ap_uint<64> a = 1; auto c = a + 1; (void)c;", "wider than 64 bits"],
      ["ap_int<64> a = 1; ap_uint<64> b = 1; auto c = a & b; (void)c;", "wider than 64 bits"],
      ["ap_uint<64> a = 1; ap_int<2> b = 1; auto c = a / b; (void)c;", "wider than 64 bits"],
      ["ap_int<64> a = 1; auto c = -a; (void)c;", "wider than 64 bits"],
      ["ap_uint<0> a; (void)a;", "1 <= W <= 64"],
      ["ap_int<65> a; (void)a;", "1 <= W <= 64"],
      ["ap_uint<40> a; ap_uint<30> b; auto c = (a, b); (void)c;", "concatenation result would be wider than 64 bits"],
      ["ap_uint<16> a; auto c = (a, 5); (void)c;", "deleted"],
      ["ap_uint<16> a; a.range(7, 0) += 1;", "deleted"],
      ["ap_uint<16> a; a[3]++;", "deleted"],
      ["ap_uint<8> a = 2.5; (void)a;", "error"],
      ["ap_uint<16> a; a.range(7, 0)[3] = 1;", "error"],
      ["ap_uint<16> a; ap_uint<4> b; a.range(3, 0).concat(b) = 1;", "deleted"],
      ["ap_uint<16> a; a[3].set(0);", "deleted"],
    ];
    const results = await Promise.all(cases.map(([body]) =>
      gxx(`#include "ap_int.h"\nint main() { ${body} return 0; }\n`, { syntaxOnly: true })));
    results.forEach((r, i) => {
      const [body, msg] = cases[i]!;
      expect(r.code, `expected a compile error for: ${body}`).not.toBe(0);
      expect(r.stderr, `for: ${body}`).toContain(msg);
    });
    // The same widths that are rejected above compile when the result fits.
    const ok = await gxx(`#include "ap_int.h"
int main() {
  ap_uint<32> a = 1, b = 2; auto c = a * b; static_assert(decltype(c)::width == 64, "");
  ap_uint<62> d = 1; auto e = d + 1; static_assert(decltype(e)::width == 64, "");
  ap_uint<64> f = 1; f += 1; f = f & ap_uint<64>(3); auto g = f / ap_uint<8>(3); static_assert(decltype(g)::width == 64, "");
  ap_int<63> h = 1; auto i = -h; static_assert(decltype(i)::width == 64, "");
  ap_uint<40> j; ap_uint<24> k; auto l = (j, k); static_assert(decltype(l)::width == 64, "");
  ap_uint<63> m = 1; ap_int<2> n = 1; auto o = m / n; static_assert(decltype(o)::width == 64, "");
  (void)c; (void)e; (void)g; (void)i; (void)l; (void)o;
  return 0;
}
`, { syntaxOnly: true });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
  }, 60_000);
});
