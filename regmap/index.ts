// The register map phase: computed once from the compiled IR (map.ts); every view of it is emitted from here.
export { regMapOf, standardBlock, stdReg, paramWords, statusWords, commitWrites, memoryWrites, versionWord, hexOffset, ID_MAGIC, ARM_KEY, REGMAP_LAYOUT, STD_BYTES, STATUS_GEN_LSB } from './map.ts';
export type { RegMap, StdReg, ValueReg, WordDef, UnitWindow, MemWindow, FieldDef, Access } from './map.ts';
export { emitRegFile } from './rtl.ts';
export { regMapFiles, regMapJson, regMapC, regMapTs, regMapMarkdown, regMapHtml, regMapRdl } from './emit.ts';
export { systemMapOf, systemParamWrites, windowMap, layoutOf, SYSTEM_ID, SYSTEM_WORDS } from './system.ts';
export type { SystemMap, SystemWindow, SystemWord, CardLayout } from './system.ts';
