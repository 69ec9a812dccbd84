// The OUCH 5.0 encoder (examples/ouch-encoder/encoder.ts): the model reproduces every inbound OUCH packet of the
// real captures byte for byte, equals the protocol library's encoder on synthetic orders of every kind, and the
// Verilated RTL and the HLS C-simulation equal the model (and so the captures); the RTL is lint-clean.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../dsl/rng.ts';
import { unpackFrom } from '../../dsl/record.ts';
import { beatRecord } from '../../dsl/packet.ts';
import { OUCH_DIR, pcapsIn } from '../protocols/data.ts';
import design, { Kind, Packet, capturedInbound, libraryPacket, packetBytes, randomAction, stimulus, toAction, toMessage } from '../../examples/ouch-encoder/encoder.ts';
import { beatBytes, capturedPackets, type PacketValue } from '../../examples/ouch-encoder/stimulus.ts';

const FILE = 'examples/ouch-encoder/encoder.ts';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Packets (hex) from a file of 64-bit beat records { data, keep, last }: the kept lanes, up to each last. */
function packetsOfBeats(raw: Uint8Array): string[] {
  const beat = beatRecord(8);
  const packets: string[] = [];
  let cur: number[] = [];
  for (let k = 0; k < raw.length / beat.bytes; k++) {
    const b = unpackFrom(beat, raw, k * beat.bytes) as { data: bigint; keep: number; last: boolean };
    for (let l = 0; l < 8; l++) if ((b.keep >> l) & 1) cur.push(Number((b.data >> BigInt(8 * l)) & 0xffn));
    if (b.last) {
      packets.push(hex(Uint8Array.from(cur)));
      cur = [];
    }
  }
  expect(cur).toEqual([]); // no beats after the last packet's last
  return packets;
}
const captures = pcapsIn(OUCH_DIR);

/** The model's packet for an action; checks the beat's padding (bytes at and beyond length) is zero. */
function encode(m: ReturnType<typeof design.model>, a: Parameters<typeof libraryPacket>[0], now = 0): Uint8Array {
  const out = m.step(a, now) as PacketValue | undefined;
  expect(out).toBeDefined();
  expect([...beatBytes(out!).slice(out!.length)].every((b) => b === 0)).toBe(true);
  return packetBytes(out!);
}

describe('ouch-encoder: model', () => {
  test('the captures hold the expected OUCH traffic', () => {
    expect(captures.map((f) => path.basename(f))).toEqual([
      'CancelOrderMessage.pcap',
      'CanceledMessage.pcap',
      'ClientHeartbeatPacket.pcap',
      'EnterOrderMessage.pcap',
      'OrderAcceptedMessage.pcap',
      'ServerHeartbeatPacket.pcap',
    ]);
  });

  test('(a) every inbound OUCH message of the captures: the encoder output equals the captured SoupBinTCP packet', () => {
    const m = design.model();
    const seen: Record<string, number> = {};
    let clientHeartbeats = 0;
    for (const f of captures) {
      const bytes = new Uint8Array(fs.readFileSync(f));
      for (const c of capturedPackets(bytes)) {
        if (c.soupType === 'R') clientHeartbeats++; // a client heartbeat is not an order: nothing to encode
        if (c.soupType !== 'U') continue;
        expect(c.message, `${f}: an unsequenced-data packet that does not decode`).toBeDefined();
        const a = toAction(c.message!);
        expect(a, `${f}: ${c.message!.type} is not encodable`).toBeDefined();
        expect(hex(encode(m, a!))).toBe(hex(c.packet));
        // ... and the library's encoder agrees (the round trip message -> Action -> message is exact).
        expect(hex(libraryPacket(a!))).toBe(hex(c.packet));
        seen[c.message!.type] = (seen[c.message!.type] ?? 0) + 1;
      }
    }
    // The captures hold one Enter Order (Firm LIME appendage, 56-byte packet) and one Cancel Order (9 bytes, no
    // appendage length field, 12-byte packet); every inbound message is checked.
    expect(seen).toEqual({ O: 1, X: 1 });
    expect(clientHeartbeats).toBe(1);
    const enter = capturedInbound(new Uint8Array(fs.readFileSync(path.join(OUCH_DIR, 'EnterOrderMessage.pcap'))));
    expect(enter.map((e) => e.packet.length)).toEqual([56]);
    expect(enter[0]!.message).toMatchObject({ type: 'O', appendage: [{ tag: 2, option: 'firm', value: 'LIME' }] });
    const cancel = capturedInbound(new Uint8Array(fs.readFileSync(path.join(OUCH_DIR, 'CancelOrderMessage.pcap'))));
    expect(cancel.map((e) => e.packet.length)).toEqual([12]);
  });

  test('the pcap stimulus yields exactly the encodable inbound messages', () => {
    const n = captures.map((f) => [...stimulus(f, new Rng(1))].length);
    expect(n.reduce((s, x) => s + x, 0)).toBe(2);
    expect([...stimulus(path.join(OUCH_DIR, 'EnterOrderMessage.pcap'), new Rng(1))].map((a) => a.kind)).toEqual([Kind.Enter]);
  });

  test('(b) 20,000 synthetic order actions: byte-for-byte equal to the protocol library encoder', () => {
    const m = design.model();
    const actions = [...stimulus('synthetic:20000', new Rng(11))];
    const kinds: Record<string, number> = {};
    const lengths = new Set<number>();
    actions.forEach((a, i) => {
      const got = encode(m, a, i);
      const want = libraryPacket(a);
      if (hex(got) !== hex(want)) expect({ i, action: a, got: hex(got) }).toEqual({ i, action: a, got: hex(want) });
      kinds[`${a.kind}${a.hasFirm ? '+firm' : ''}`] = (kinds[`${a.kind}${a.hasFirm ? '+firm' : ''}`] ?? 0) + 1;
      lengths.add(got.length);
    });
    // Every kind, with and without the appendage, and so every packet length.
    expect(Object.keys(kinds).sort()).toEqual(['M', 'M+firm', 'O', 'O+firm', 'U', 'U+firm', 'X', 'X+firm']);
    for (const n of Object.values(kinds)) expect(n).toBeGreaterThan(2000);
    expect([...lengths].sort((x, y) => x - y)).toEqual([12, 13, 20, 21, 43, 49, 50, 56]);
  });

  test('edge values: extreme numbers and every byte value in character fields', () => {
    const m = design.model();
    const rng = new Rng(5);
    for (const kind of [Kind.Enter, Kind.Replace, Kind.Cancel, Kind.Modify]) {
      for (const hasFirm of [false, true]) {
        for (const fill of [0x00, 0xff, 0x80, 0x20]) {
          const b = BigInt(fill);
          const w = (n: number) => Array.from({ length: n }, () => b).reduce((acc, x) => (acc << 8n) | x, 0n);
          const a = {
            ...randomAction(rng),
            kind,
            hasFirm,
            userRefNum: Number(w(4)),
            origUserRefNum: Number(w(4)),
            side: fill,
            quantity: Number(w(4)),
            symbol: w(8),
            price: w(8),
            timeInForce: fill,
            display: fill,
            capacity: fill,
            interMarketSweepEligibility: fill,
            crossType: fill,
            clOrdIdLo: w(8),
            clOrdIdHi: Number(w(6)),
            firm: Number(w(4)),
          };
          expect(hex(encode(m, a))).toBe(hex(libraryPacket(a)));
          expect(toAction(toMessage(a))).toBeDefined();
        }
      }
    }
  });
});

describe('ouch-encoder: hardware', () => {
  test('(c) three-way cosim (model, Verilated RTL, HLS C-sim) on synthetic orders and on every capture; RTL reproduces the captured bytes; lint-clean RTL', async () => {
    const { cosim } = await import('../../sim/cosim.ts');
    const { verilatorCommand } = await import('../../sim/tools.ts');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-ouch-encoder-'));
    const runs: Array<[string, number]> = [['synthetic:5000', 3], ...captures.map((f): [string, number] => [f, 1])];
    let captured = 0;
    for (const [input, seed] of runs) {
      const out = path.join(tmp, `${path.basename(input).replace(/[^A-Za-z0-9]/g, '_')}`);
      const actions = [...stimulus(input, new Rng(seed))];
      if (actions.length === 0) {
        // Outbound-only captures (accepted, canceled, heartbeats): nothing for the encoder, which cosim refuses
        // rather than reporting 0 outputs compared as a pass (docs/reliability.md).
        await expect(cosim({ file: FILE, input, seed, out })).rejects.toThrow(/yielded no \w+ records/);
        continue;
      }
      const r = await cosim({ file: FILE, input, seed, out, validProb: 0.8, readyProb: 0.7 });
      // One packet per input, ceil(length / 8) beats each (every kind the stimulus sends is a valid one).
      const beats = actions.reduce((n, a) => n + Math.ceil(packetBytes(design.model().step(a as never, 0) as PacketValue).length / 8), 0);
      expect(r.inputs).toBe(actions.length);
      expect(r.executors.model!.outputs).toBe(beats);
      expect(r.executors.rtl!.compared).toBe(beats);
      expect(r.executors.hls!.compared).toBe(beats);
      expect(r.outputCounts.last.true ?? 0).toBe(actions.length);
      expect(r.mismatches).toBe(0);
      if (actions.length > 0) expect(r.latencyCycles!.min).toBe(r.pipelineLatencyCycles);
      if (!input.startsWith('synthetic:')) {
        // The RTL's and the HLS kernel's own beats, reassembled into packets, against the captured packets.
        const want = capturedInbound(new Uint8Array(fs.readFileSync(input))).map((c) => hex(c.packet));
        for (const f of ['outputs.bin', 'hls-outputs.bin']) {
          const raw = new Uint8Array(fs.readFileSync(path.join(out, 'work', f)));
          expect(packetsOfBeats(raw), `${input} ${f}`).toEqual(want);
        }
        captured += want.length;
      }
      if (input.startsWith('synthetic:')) {
        const v = verilatorCommand();
        const dir = r.rtl!.dir;
        const files = fs.readdirSync(dir).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
        const lint = spawnSync(v.cmd, ['--lint-only', '-Wall', '--top-module', r.design, ...files], { env: { ...process.env, ...v.env }, encoding: 'utf8' });
        expect(lint.status).toBe(0);
        expect(lint.stderr.split('\n').filter((l) => l.startsWith('%'))).toEqual([]);
      }
    }
    expect(captured).toBe(2); // the Enter Order (with its Firm appendage) and the Cancel Order
  }, 600_000);
});
