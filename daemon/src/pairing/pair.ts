import { hostname } from 'node:os';
import { z } from 'zod';
import { DaemonError } from '../errors.js';
import { apiUrl, postJson, problemDetail } from '../http.js';
import {
  type CredentialStoreOptions,
  type DeviceCredentials,
  type StoredWhere,
  saveCredentials,
} from './credentials.js';

/** Request body of `POST /api/devices/pair`. */
export interface PairRequest {
  code: string;
  name: string;
  platform: string;
}

/** Successful answer of `POST /api/devices/pair` (200 or 201). */
export const pairResponse = z.object({
  deviceId: z.string().min(1),
  token: z.string().min(1),
  org: z.string().min(1),
});
export type PairResponse = z.infer<typeof pairResponse>;

export interface PairOptions extends CredentialStoreOptions {
  server: string;
  code: string;
  /** Device name shown in the console; default the host name. */
  name?: string;
}

export const devicePlatform = () => `${process.platform}-${process.arch}`;

/** Exchanges a single-use pairing code for a device token and stores it. */
export async function pair(
  options: PairOptions,
): Promise<{ credentials: DeviceCredentials; stored: StoredWhere }> {
  const url = apiUrl(options.server, '/api/devices/pair');
  const body: PairRequest = {
    code: options.code.trim().toUpperCase(),
    name: options.name ?? hostname(),
    platform: devicePlatform(),
  };
  const response = await postJson(url, body);
  const detail = problemDetail(response.body);
  const suffix = detail ? ` (${detail})` : '';
  if (response.status === 400 || response.status === 404) {
    throw new DaemonError(
      'pairing_code_rejected',
      `the pairing code ${body.code} is wrong${suffix}; ask an admin for a new code`,
    );
  }
  if (response.status === 410) {
    throw new DaemonError(
      'pairing_code_rejected',
      `the pairing code ${body.code} has expired or was already used${suffix}; ask an admin for a new code`,
    );
  }
  if (response.status >= 300) {
    throw new DaemonError(
      'server_error',
      `pairing failed: HTTP ${response.status} from ${url.origin}${suffix}`,
    );
  }
  const parsed = pairResponse.safeParse(response.body);
  if (!parsed.success)
    throw new DaemonError('server_error', `pairing failed: ${url.origin} sent an unexpected answer`);
  const server = options.server.replace(/\/+$/, '');
  const credentials: DeviceCredentials = { server, ...parsed.data };
  const stored = await saveCredentials(credentials, options);
  return { credentials, stored };
}
