import { z } from 'zod';
import { KEYABLE_PROVIDERS } from './vocabulary.js';

export { KEYABLE_PROVIDERS } from './vocabulary.js';

/*
 * What connects an org to the outside: its provider keys, paired devices (the daemon) and MCP
 * servers and activity. The console's Connect pages read these; the server declares them.
 */

export type KeyableProvider = (typeof KEYABLE_PROVIDERS)[number];

/** One provider with an org key: its fingerprint only, never the key. */
export const providerKey = z.object({ provider: z.string(), fingerprint: z.string(), updatedAt: z.string() });
export type ProviderKey = z.infer<typeof providerKey>;
export const providerKeyList = z.object({ providerKeys: z.array(providerKey) });
export type ProviderKeyList = z.infer<typeof providerKeyList>;
export const providerKeyParams = z.object({ provider: z.enum(KEYABLE_PROVIDERS) });
/** `PUT /api/provider-keys/:provider`: the key is stored encrypted and never returned. */
export const setProviderKeyBody = z.object({ apiKey: z.string().trim().min(8).max(4096) });
export type SetProviderKeyBody = z.input<typeof setProviderKeyBody>;

/** A device paired with `proofpane-daemon pair`; `connected` says whether its socket is open now. */
export const device = z.object({
  id: z.string(),
  name: z.string(),
  platform: z.string(),
  agent: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  connected: z.boolean(),
});
export type Device = z.infer<typeof device>;
export const deviceList = z.object({ devices: z.array(device) });
export type DeviceList = z.infer<typeof deviceList>;
export const deviceName = z.string().trim().min(1).max(100);
export const renameDeviceBody = z.strictObject({ name: deviceName });
export type RenameDeviceBody = z.input<typeof renameDeviceBody>;
/** `POST /api/devices/pairing-codes`: single-use, ten minutes. */
export const devicePairingCode = z.object({
  code: z.string(),
  expiresAt: z.string(),
  agent: z.string().nullable(),
});
export type DevicePairingCode = z.infer<typeof devicePairingCode>;
export interface DevicePairingCodeBody {
  agent?: string;
}

const rates = {
  calls: z.number(),
  allowRate: z.number(),
  blockRate: z.number(),
  hitlRate: z.number(),
  maskedCalls: z.number(),
  failedCalls: z.number(),
};
/** `GET /api/mcp/activity`: totals per vendor and per agent scope. */
export const mcpActivitySummary = z.object({
  byVendor: z.array(z.object({ vendor: z.string(), ...rates })),
  byAgent: z.array(z.object({ agent: z.string(), ...rates })),
});
export type McpActivitySummary = z.infer<typeof mcpActivitySummary>;

export const MCP_SERVER_STATUSES = ['draft', 'published', 'deprecated'] as const;
/** A registered MCP server as `GET /api/mcp/servers` lists it (members see published ones only). */
export interface McpServer {
  id: string;
  name: string;
  status: (typeof MCP_SERVER_STATUSES)[number];
  transport: 'stdio' | 'http';
  command?: string;
  args?: string[];
  url?: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
}
export type McpServerBody =
  | { name: string; transport: 'stdio'; command: string; args?: string[]; description?: string }
  | { name: string; transport: 'http'; url: string; description?: string };

/** `GET /api/hitl/approvers`: the desktop approvers paired with the org (never their tokens). */
export const pairedApprover = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type PairedApprover = z.infer<typeof pairedApprover>;
export const pairedApproverList = z.object({ approvers: z.array(pairedApprover) });
export type PairedApproverList = z.infer<typeof pairedApproverList>;
