import type { Fact } from '../kit/fact.js';

/** The events of one pairing code, subject `pairing-code/<code id>`. */
export type PairingCodeFact = Fact<'cp.device.pairing-code.created'>;

/** The events of one paired device, subject `device/<device id>`. */
export type DeviceFact = Fact<'cp.device.paired' | 'cp.device.renamed' | 'cp.device.revoked'>;

export const pairingCodeSubject = (codeId: string) => `pairing-code/${codeId}`;
export const deviceSubject = (deviceId: string) => `device/${deviceId}`;

/** How long a pairing code works after it was created (docs/daemon.md: ten minutes). */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
