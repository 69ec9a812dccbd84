// Exchange protocols declared once: the byte layout language, ITCH 5.0, OUCH 5.0, MoldUDP64 and SoupBinTCP.
// The model's decoders/encoders are generated from these declarations (docs/protocols.md).
export { u8, u16, u32, u48, u64, alpha, char, price, signedPrice, appendage, payload, text, layout, message, trimAlpha, scalarSpecOf } from './layout.ts';
export type { FieldType, FieldLayout, Layout, MessageOf, TagValue, OptionTable, IntField, AlphaField, CharField } from './layout.ts';
export { MessageSet, EncodeError, encode, encodeInto, encodedSize, decodeLayout, decoderSource, toJsonLine, toHex } from './codec.ts';
export { fieldOffset, fieldSize, typeCodeOf, fieldSpec, lengthBitmap, optionTag, optionSize, readField, writeField, encodeWord } from './fields.ts';
export type { FieldName, FieldWord, FieldInput, FieldValues } from './fields.ts';
export type { DecodeFailure, DecodeErrorCode } from './codec.ts';
export * as itch from './itch50.ts';
export { itch50, ITCH50_LAYOUTS } from './itch50.ts';
export type { ItchMessage, ItchType, ItchOf } from './itch50.ts';
export * as ouch from './ouch50.ts';
export * as soup from './soupbintcp.ts';
export { ouch50Inbound, ouch50Outbound, OUCH50_INBOUND_LAYOUTS, OUCH50_OUTBOUND_LAYOUTS, OUCH50_OPTIONS } from './ouch50.ts';
export type { OuchInbound, OuchOutbound } from './ouch50.ts';
export { MoldUdp64Header, MOLD_HEADER_BYTES, MOLD_HEARTBEAT_COUNT, MOLD_END_OF_SESSION_COUNT, encodeMoldPacket, encodeMoldControl } from './moldudp64.ts';
export { soupBinTcp, encodeSoupPacket, SOUPBINTCP_LAYOUTS, SOUP_SERVER_TYPES, SOUP_CLIENT_TYPES } from './soupbintcp.ts';
export type { SoupPacket } from './soupbintcp.ts';
