import { CoreError } from '@proofpane/core';

/**
 * What the device deciders refuse with: the platform's `not_found` (no such code or device in the org),
 * `gone` (a code already used or expired) and `conflict` (an id taken twice), the codes the devices API
 * has always answered with.
 */
export type DeviceRefusal = 'not_found' | 'gone' | 'conflict';

/** Thrown by `decide` when a pairing or device command would break a rule; status and title are the catalogue's. */
export class DeviceError extends CoreError {
  constructor(
    override readonly code: DeviceRefusal,
    detail: string,
  ) {
    super(code, detail);
  }
}
