// The tickforge DSL: the public surface a design file imports.
export { u, i, ufixed, sfixed, bool, char, enumOf, MAX_NUMBER_WIDTH } from './types.ts';
export type { ScalarSpec, UIntSpec, SIntSpec, BoolSpec, CharSpec, EnumSpec, ValueOf, IntRep } from './types.ts';
export { record, packInto, unpackFrom, packBits, unpackBits, recordToJson } from './record.ts';
export type { RecordSpec, RecordValue, FieldLayout } from './record.ts';
export { table, Table } from './table.ts';
export type { TableSpec, MemoryKind } from './table.ts';
export { unit, param, reg, Model } from './unit.ts';
export { beatRecord, packetBeats, packetCapacity } from './packet.ts';
export type { OutputFlow, PacketSpec } from './packet.ts';
export type { Unit, UnitDef, StepContext, ParamSpec, RegSpec } from './unit.ts';
export { wrap, sat, bits, bitsBig, bit, div, mod, min, max } from './intrinsics.ts';
export { Rng } from './rng.ts';
export { implies } from './property.ts';
export type { Property, PropertyView, Violation } from './property.ts';
export { vec, MAX_VEC_LENGTH } from './vec.ts';
export type { VecSpec, StateSpec, StateValue } from './vec.ts';
export { system, wire, slice, skid, fifo, SystemModel } from './system.ts';
export type { System, SystemDef, ChannelSpec, ChannelKind, Link, Timing, TapRecord } from './system.ts';
