import type { Decision, HitlRequest, HitlStatus } from '@proofpane/api';

/*
 * The approver's own surface between its main process and its renderer. What the server sends
 * (requests, resolutions, pairing) is typed by the HTTP contract in @proofpane/api.
 */

/** One pending request in the approver's inbox, tagged with the org it came from. */
export interface InboxItem {
  org: string;
  orgName: string;
  request: HitlRequest;
  /** When the countdown denies it by default (ISO time); never later than `request.expiresAt`. */
  deadline: string;
}

/** A resolution shown in the activity panel, whoever made it. */
export interface ActivityEntry {
  org: string;
  orgName: string;
  id: string;
  summary: string;
  status: HitlStatus;
  by: string;
  byMe: boolean;
  auto: boolean;
  note?: string;
  at: string;
}

export type AccountStatus = 'connecting' | 'connected' | 'reconnecting' | 'repair';

export interface AccountView {
  org: string;
  orgName: string;
  serverUrl: string;
  expiresAt: string;
  status: AccountStatus;
  /** Why the account needs attention, in words for the approver. */
  message?: string;
}

/** Everything the renderer draws; the main process pushes a fresh copy on every change. */
export interface ApproverState {
  accounts: AccountView[];
  pending: InboxItem[];
  activity: ActivityEntry[];
  countdownSeconds: number;
}

export interface ResolveInput {
  org: string;
  id: string;
  decision: Decision;
  remember?: boolean;
  /** Set when the countdown reached zero: the deny is the default, not a person's choice. */
  timedOut?: boolean;
}

export type Outcome = { ok: true; message?: string } | { ok: false; code: string; message: string };

export interface PairInput {
  serverUrl: string;
  code: string;
  name: string;
}

/**
 * The only surface the renderer sees, exposed by the preload script through `contextBridge`
 * as `window.proofpane`. Every call crosses IPC and is checked in the main process.
 */
export interface ApproverApi {
  getState(): Promise<ApproverState>;
  onState(listener: (state: ApproverState) => void): () => void;
  resolve(input: ResolveInput): Promise<Outcome>;
  pair(input: PairInput): Promise<Outcome>;
  unpair(org: string): Promise<Outcome>;
}

export const IPC = {
  getState: 'proofpane:get-state',
  resolve: 'proofpane:resolve',
  pair: 'proofpane:pair',
  unpair: 'proofpane:unpair',
  state: 'proofpane:state',
} as const;

export const itemKey = (org: string, id: string): string => `${org}/${id}`;
