import { sha256Hex } from '@proofpane/core';

/** Addresses compare case-insensitively and without surrounding space. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/**
 * What events say instead of an email: SHA-256 of the normalised address. It links events
 * about the same person without spelling the address; it is pseudonymous, not anonymous.
 */
export const emailHash = (email: string): string => sha256Hex(`proofpane:email:${normaliseEmail(email)}`);
