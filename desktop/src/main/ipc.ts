import { IPC, type Outcome, type PairInput, type ResolveInput } from '../shared/contract.js';
import type { Approver } from './approver.js';
import { DESKTOP_ERRORS } from './errors.js';
import { type FrameLike, isTrustedSender } from './security.js';

export interface IpcInvokeEventLike {
  senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
}

const INVALID: Outcome = { ok: false, code: 'invalid_input', message: DESKTOP_ERRORS.invalid_input };

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;
const isFlag = (value: unknown): value is boolean | undefined =>
  value === undefined || typeof value === 'boolean';
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseResolveInput(value: unknown): ResolveInput | undefined {
  if (!isRecord(value)) return undefined;
  const { org, id, decision, remember, timedOut } = value;
  if (!isText(org, 200) || !isText(id, 200) || (decision !== 'approve' && decision !== 'deny'))
    return undefined;
  if (!isFlag(remember) || !isFlag(timedOut)) return undefined;
  return { org, id, decision, ...(remember ? { remember } : {}), ...(timedOut ? { timedOut } : {}) };
}

export function parsePairInput(value: unknown): PairInput | undefined {
  if (!isRecord(value)) return undefined;
  const { serverUrl, code, name } = value;
  if (!isText(serverUrl, 2000) || !isText(code, 64) || !isText(name, 200)) return undefined;
  return { serverUrl, code, name };
}

/**
 * The main side of the preload bridge. Every handler first checks that the call comes from the
 * top frame of our own renderer page, then validates its argument; nothing else reaches the core.
 */
export function registerIpcHandlers(options: {
  ipcMain: IpcMainLike;
  approver: Pick<Approver, 'state' | 'resolve' | 'pair' | 'unpair'>;
  trustedUrl: string;
}): void {
  const { ipcMain, approver, trustedUrl } = options;
  const guarded = (handler: (arg: unknown) => unknown) => (event: IpcInvokeEventLike, arg?: unknown) => {
    if (!isTrustedSender(event.senderFrame, trustedUrl)) {
      throw new Error('Refused: IPC from an untrusted frame.');
    }
    return handler(arg);
  };
  ipcMain.handle(
    IPC.getState,
    guarded(() => approver.state()),
  );
  ipcMain.handle(
    IPC.resolve,
    guarded((arg) => {
      const input = parseResolveInput(arg);
      return input ? approver.resolve(input) : INVALID;
    }),
  );
  ipcMain.handle(
    IPC.pair,
    guarded((arg) => {
      const input = parsePairInput(arg);
      return input ? approver.pair(input) : INVALID;
    }),
  );
  ipcMain.handle(
    IPC.unpair,
    guarded((arg) => (isText(arg, 200) ? approver.unpair(arg) : INVALID)),
  );
}
