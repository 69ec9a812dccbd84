// SoupBinTCP 4.x packets: [u16 length][u8 packet type][payload], the length counting the type byte and the
// payload. Sequenced data ('S') flows host -> client, unsequenced data ('U') client -> host; the rest is session
// control. Each packet type is declared like a message whose type code is the packet type.
import { alpha, char, layout, message, payload, text, u16, type Layout, type MessageOf } from './layout.ts';
import { MessageSet } from './codec.ts';

/** The framing before every packet: [u16 length], counting the packet type byte and the payload. */
export const PacketLength = layout('SoupBinTCP packet length', { packetLength: u16 });
export const Debug = message('+', 'Debug', { text });
export const LoginAccepted = message('A', 'Login Accepted', { session: alpha(10), sequenceNumber: alpha(20) });
export const LoginRejected = message('J', 'Login Rejected', { rejectReasonCode: char({ A: 'not authorized', S: 'session not available' }) });
export const SequencedData = message('S', 'Sequenced Data', { message: payload });
export const ServerHeartbeat = message('H', 'Server Heartbeat', {});
export const EndOfSession = message('Z', 'End of Session', {});
export const LoginRequest = message('L', 'Login Request', { username: alpha(6), password: alpha(10), requestedSession: alpha(10), requestedSequenceNumber: alpha(20) });
export const UnsequencedData = message('U', 'Unsequenced Data', { message: payload });
export const ClientHeartbeat = message('R', 'Client Heartbeat', {});
export const LogoutRequest = message('O', 'Logout Request', {});

export const SOUPBINTCP_LAYOUTS = [Debug, LoginAccepted, LoginRejected, SequencedData, ServerHeartbeat, EndOfSession, LoginRequest, UnsequencedData, ClientHeartbeat, LogoutRequest] as const;
export type SoupPacket = { [K in keyof typeof SOUPBINTCP_LAYOUTS & number]: MessageOf<(typeof SOUPBINTCP_LAYOUTS)[K]> }[number];

/** Packet types sent by the host (server) and by the client. */
export const SOUP_SERVER_TYPES = '+AJSHZ';
export const SOUP_CLIENT_TYPES = '+LURO';

export function soupBinTcp(): MessageSet<SoupPacket> {
  return new MessageSet<SoupPacket>('SoupBinTCP', SOUPBINTCP_LAYOUTS as readonly Layout[]);
}

/** [u16 length][packet]: one packet on the wire. */
export function encodeSoupPacket(set: MessageSet<SoupPacket>, p: SoupPacket): Uint8Array {
  const n = set.sizeOf(p);
  if (n > 0xffff) throw new RangeError(`SoupBinTCP: a packet of ${n} bytes does not fit a u16 length`);
  const out = new Uint8Array(2 + n);
  out[0] = n >> 8;
  out[1] = n & 0xff;
  set.encodeInto(p, out, 2);
  return out;
}
