// Stimulus: readers for NASDAQ BinaryFILE and pcap (MoldUDP64 / SoupBinTCP), the synthetic ITCH generator and the
// MoldUDP64 packetizer. Bad input is counted with offsets (errors.ts), never thrown.
export { decodeInput, decodeBytes, decodeItchFile } from './decode.ts';
export type { DecodedItem, DecodeOptions, DecodeSummary, Layer } from './decode.ts';
export { Diagnostics, STIMULUS_ERRORS } from './errors.ts';
export type { StimulusError, StimulusErrorCode } from './errors.ts';
export { readBinaryFile, BinaryFileWriter } from './binaryfile.ts';
export { readPcap, parseFrame, isPcap, PcapWriter, udpFrame, tcpFrame } from './pcap.ts';
export { readMoldPacket, SoupStream } from './framing.ts';
export { generateItch, FastRng } from './synthetic.ts';
export { stressItch } from './book-stress.ts';
export type { StressOptions } from './book-stress.ts';
export type { GenerateOptions, GenerateResult } from './synthetic.ts';
export { packetize, moldPcap, DEFAULT_ENDPOINT } from './packetizer.ts';
export { readInputFile } from './input.ts';
export { measureItchStats, measureItchFile, defaultItchStats, SNIPPET_PATH } from './itch-stats.ts';
export type { ItchStats } from './itch-stats.ts';
