// MoldUDP64 (downstream packets): a 20-byte header, then `messageCount` blocks of [u16 length][message]. A count
// of 0 is a heartbeat, 0xFFFF marks the end of the session (both carry no blocks). The framing parser with its
// error outcomes lives in sim/stimulus/framing.ts; this file declares the format and builds packets.
import { alpha, layout, u16, u64, type MessageOf } from './layout.ts';
import { encodeInto } from './codec.ts';

export const MoldUdp64Header = layout('MoldUDP64 header', { session: alpha(10), sequenceNumber: u64, messageCount: u16 });
export type MoldUdp64HeaderValue = Omit<MessageOf<typeof MoldUdp64Header>, 'type'>;
export const MOLD_HEADER_BYTES = MoldUdp64Header.length; // 20
export const MOLD_HEARTBEAT_COUNT = 0;
export const MOLD_END_OF_SESSION_COUNT = 0xffff;

/** One downstream packet carrying `messages` (already encoded), the first with sequence number `sequenceNumber`. */
export function encodeMoldPacket(session: string, sequenceNumber: bigint, messages: readonly Uint8Array[]): Uint8Array {
  if (messages.length >= MOLD_END_OF_SESSION_COUNT) throw new RangeError(`MoldUDP64: ${messages.length} messages do not fit one packet`);
  let size = MOLD_HEADER_BYTES;
  for (const m of messages) {
    if (m.length > 0xffff) throw new RangeError(`MoldUDP64: a message of ${m.length} bytes does not fit a u16 length`);
    size += 2 + m.length;
  }
  const out = new Uint8Array(size);
  encodeInto(MoldUdp64Header, { session, sequenceNumber, messageCount: messages.length }, out, 0);
  let o = MOLD_HEADER_BYTES;
  for (const m of messages) {
    out[o] = m.length >> 8;
    out[o + 1] = m.length & 0xff;
    out.set(m, o + 2);
    o += 2 + m.length;
  }
  return out;
}

/** A heartbeat (count 0) or end-of-session (count 0xFFFF) packet: `sequenceNumber` is the next expected one. */
export function encodeMoldControl(session: string, sequenceNumber: bigint, kind: 'heartbeat' | 'end-of-session'): Uint8Array {
  const out = new Uint8Array(MOLD_HEADER_BYTES);
  const messageCount = kind === 'heartbeat' ? MOLD_HEARTBEAT_COUNT : MOLD_END_OF_SESSION_COUNT;
  encodeInto(MoldUdp64Header, { session, sequenceNumber, messageCount }, out, 0);
  return out;
}
