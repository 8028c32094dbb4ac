import type { CreateCoderSessionBody, Device } from '@proofpane/api';

/** The new-session form's choice for a repository in the org's workspace on the server. */
export const ON_SERVER = 'server';

/** Devices a session can start on: paired, not revoked, and connected now (the server refuses others). */
export const usableDevices = (devices: readonly Device[]): Device[] =>
  devices.filter((d) => !d.revokedAt && d.connected);

/**
 * The body of `POST /api/coder/sessions`: on the server an empty path means a new project; on a device
 * the path is relative to the daemon's root and sent as `repo: {deviceId, path}`.
 */
export function newSessionBody(draft: { goal: string; repo: string; place: string }): CreateCoderSessionBody {
  const path = draft.repo.trim();
  if (draft.place !== ON_SERVER) return { goal: draft.goal, repo: { deviceId: draft.place, path } };
  return { goal: draft.goal, ...(path ? { repo: path } : {}) };
}

/** A session's device by its name when the org still lists it, else by its id. */
export const deviceLabel = (deviceId: string, devices: readonly Device[]): string =>
  devices.find((d) => d.id === deviceId)?.name ?? deviceId;
