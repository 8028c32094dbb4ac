import { CoreError, type EvolutionErrorCode } from '@proofpane/core';

/** Thrown by the evolution decider and its processes; status and title are the catalogue's evolution section. */
export class EvolutionError extends CoreError {
  constructor(
    override readonly code: EvolutionErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
