import type { NewEvent } from '@proofpane/core';
import type { BudgetFigures, LeasedReservation, OrgBudget, ReserveOutcome } from '../budget/index.js';
import type { PriceTable, ResolvedPrice } from '../cost/index.js';
import type { DlpVault } from '../dlp/index.js';
import type { PolicyEvaluation } from '../policy/index.js';
import type { ChatRequest, ProviderCredentials, ProviderId } from '../providers/index.js';
import type { RefusalCode } from './errors.js';

/** How the approval the policy asked for went: used, still pending, refused when used, or nobody to ask. */
export type ApprovalFact =
  | { status: 'approved'; requestId: string }
  | { status: 'pending'; requestId: string }
  | { status: 'unusable'; requestId: string; reason: string }
  | { status: 'unavailable' };

/** How the reservation went: taken from the process's budget lease, or decided by the ledger itself. */
export type ReservationFact = ({ from: 'lease' } & LeasedReservation) | ({ from: 'ledger' } & ReserveOutcome);

/**
 * What the process looked up before deciding a call. The optional facts are looked up only when a decision
 * asks for them, in the order the gates reach them: a blocked call reads no budget, and nothing is
 * reserved for a call an earlier gate refuses.
 */
export interface CallFacts {
  /** The org's policy version and its verdict on the request: decision, DLP findings, masked texts. */
  policy: { version: number; verdict: PolicyEvaluation };
  /** Providers the platform holds keys for (and `demo`). */
  platformProviders: readonly ProviderId[];
  prices: PriceTable;
  /** Max tokens for a request that names none, unless the policy's limit is lower. */
  defaultMaxTokens: number;
  approval?: ApprovalFact;
  /** The org's own key for the provider; null when it set none. */
  credentials?: ProviderCredentials | null;
  budget?: OrgBudget;
  /** The month's figures, for a budget refusal that reserved nothing. */
  figures?: BudgetFigures;
  reservation?: ReservationFact;
}

/** A fact the decision cannot be made without; for the reservation, what to reserve. */
export type CallNeed =
  | { fact: 'approval' | 'credentials' | 'budget' | 'figures' }
  | { fact: 'reservation'; amountMicros: number; capMicros: number | null };

/** A call not carried out: the code the caller is answered with and the events that audit it. */
export interface CallRefusal {
  code: RefusalCode;
  message: string;
  events: NewEvent[];
  /** For `hitl_required`: the approval request to resolve before repeating the call. */
  hitlRequestId?: string;
}

/** What an allowed call does: the request the provider receives, its reservation, and its gate events. */
export interface CallPlan {
  /** DLP-masked, with max tokens and the org's credentials filled in. */
  outbound: ChatRequest;
  /** Restores the answer for the caller; lives in memory only. */
  vault: DlpVault;
  price: ResolvedPrice | null;
  promptSha256: string;
  reservation: {
    id: string;
    month: string;
    amountMicros: number;
    /** No provider billing within the request's limits exceeds these input tokens. */
    inputTokenBound: number;
    /** Sent to the provider and covered by the reservation. */
    maxTokens: number;
    /** The cap when reserved (null: none), to know whether alerts may be due. */
    capMicros: number | null;
    leaseId?: string;
  };
  /** Appended while the provider works: the ledger already holds the reservation. */
  recordNow: NewEvent[];
  /** At the head of the outcome append: a leased reservation commits nothing before the provider call. */
  recordWithOutcome: NewEvent[];
}

export type CallDecision =
  | { kind: 'refusal'; refusal: CallRefusal }
  | { kind: 'needs'; need: CallNeed }
  | { kind: 'plan'; plan: CallPlan };
