// Bad input has a defined outcome: every fault is one counted error with a stable code and the file byte offset
// where it is, and decoding goes on after it. Nothing throws on bad bytes, and no message is delivered from bytes
// that do not parse as exactly that message.
import type { DecodeErrorCode } from '../../dsl/protocols/codec.ts';

export type StimulusErrorCode =
  | DecodeErrorCode
  | 'truncated-record'
  | 'length-past-end'
  | 'bad-pcap-header'
  | 'unsupported-link'
  | 'truncated-packet'
  | 'truncated-frame'
  | 'ip-fragment'
  | 'mold-truncated-header'
  | 'mold-count-mismatch'
  | 'tcp-gap'
  | 'truncated-stream';

/** Every error code, what it means and what the reader does next (docs/protocols.md prints this table). */
export const STIMULUS_ERRORS: Readonly<Record<StimulusErrorCode, string>> = {
  'truncated-record': 'BinaryFILE ends with 1 byte where a 2-byte length belongs; that byte is skipped',
  'length-past-end': 'a length prefix (BinaryFILE record, MoldUDP64 block) runs past the end of its file or packet; the rest of it is skipped',
  'zero-length': 'a length prefix of 0 (BinaryFILE record, MoldUDP64 block, SoupBinTCP packet); the 2 bytes are skipped and reading goes on',
  'unknown-type': 'message (or SoupBinTCP packet) type not in the protocol; that message, whose length the framing gave, is skipped',
  'short-message': "message shorter than its type's size; skipped",
  'long-message': "message longer than its fixed-size type; skipped",
  'bad-appendage': "OUCH appendage length disagrees with the message's length, or a TagValue element is malformed; skipped",
  'bad-pcap-header': 'not a classic pcap file, or its 24-byte header is cut; nothing is read',
  'unsupported-link': 'pcap link type other than Ethernet (1), raw IPv4 (101, 228) or Linux cooked (113); nothing is read',
  'truncated-packet': 'pcap record header or data cut by the end of the file, or captured length below the wire length; that record is skipped',
  'truncated-frame': 'frame too short for its Ethernet/IPv4/UDP/TCP headers, or an IPv4/UDP length beyond the captured bytes; frame skipped',
  'ip-fragment': 'IPv4 fragment (not reassembled); skipped',
  'mold-truncated-header': 'UDP payload shorter than the 20-byte MoldUDP64 header; packet skipped',
  'mold-count-mismatch': 'MoldUDP64 message count disagrees with the blocks present (fewer blocks, or bytes left after the last); the complete blocks are delivered',
  'tcp-gap': 'TCP sequence gap in a SoupBinTCP stream (a lost segment); the partial packet is dropped and parsing restarts at the new segment',
  'truncated-stream': 'SoupBinTCP stream ends inside a packet; the partial packet is dropped',
};

export interface StimulusError {
  readonly code: StimulusErrorCode;
  /** Byte offset in the input file (for synthetic input: in the generated BinaryFILE). */
  readonly offset: number;
  readonly message: string;
}

/** Counts errors by code and keeps the first `keep` of them in full. */
export class Diagnostics {
  readonly counts = new Map<StimulusErrorCode, number>();
  readonly first: StimulusError[] = [];
  total = 0;
  constructor(readonly keep = 1000) {}
  add(code: StimulusErrorCode, offset: number, message: string): void {
    this.total++;
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    if (this.first.length < this.keep) this.first.push({ code, offset, message });
  }
  count(code: StimulusErrorCode): number {
    return this.counts.get(code) ?? 0;
  }
}
