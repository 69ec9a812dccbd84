// The host control plane (docs/host.md): a register-map client over card back ends (the simulated card, XDMA,
// OPAE), config validation, the audit log, and the simulated card itself.
export { CardClient, type CardStatus } from './client.ts';
export { SystemClient, readCardLayout, type SystemStatus } from './system.ts';
export { openCard, CardError, IdentityError, Refusal, SimTransport, XdmaTransport, OpaeTransport, type Transport, type SimInfo } from './transport.ts';
export { AuditLog, verifyAudit, operatorName, type AuditEntry, type AuditVerdict } from './audit.ts';
export { validateConfig, parseAssignments, paramBits, bitsValue, memoryCodes, ConfigError } from './config.ts';
export { loadBuild, loadSystemBuild, isSystemBuild, type BuildInfo, type SystemBuildInfo } from './build.ts';
export { startSimCard, buildSimCard, packStimulus, designOf, type SimCardOptions, type RunningCard } from './simcard/card.ts';
export { readJournal, readOutputPcap, replayJournal, replaySystemJournal, type Journal, type Replay, type SystemReplay } from './simcard/replay.ts';
