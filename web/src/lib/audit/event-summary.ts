import { count, duration, shortHash, usdFromMicros } from '$lib/format';

/** One labelled line of an event's detail. */
export interface SummaryField {
  key: string;
  label: string;
  value: string;
  /** Hashes, ids and masked text read better in a fixed-width font. */
  mono?: boolean;
}

const LABELS: Record<string, string> = {
  provider: 'Provider',
  model: 'Model',
  agent: 'Agent',
  apiKeyId: 'API key',
  userId: 'User',
  keyId: 'API key',
  deviceId: 'Device',
  decision: 'Decision',
  code: 'Outcome code',
  reason: 'Reason',
  policyVersion: 'Policy version',
  rulesMatched: 'Rules matched',
  dlp: 'DLP findings',
  route: 'Route',
  costMicros: 'Cost',
  amountMicros: 'Reserved',
  actualMicros: 'Charged',
  reservedMicros: 'Reserved',
  capMicros: 'Monthly cap',
  spentMicros: 'Spent this month',
  averageMicros: 'Recent average',
  latencyMs: 'Latency',
  inputTokens: 'Input tokens',
  outputTokens: 'Output tokens',
  cacheReadTokens: 'Cache read tokens',
  cacheWriteTokens: 'Cache write tokens',
  attempts: 'Attempts',
  finishReason: 'Finish reason',
  toolCalls: 'Tool calls',
  demo: 'Demo provider',
  stream: 'Streamed',
  priceVersion: 'Price version',
  capsuleId: 'Capsule',
  promptSha256: 'Prompt SHA-256',
  completionSha256: 'Completion SHA-256',
  argsSha256: 'Arguments SHA-256',
  maskedPrompt: 'Prompt as the provider saw it',
  maskedCompletion: 'Answer (masked)',
  factor: 'Times the average',
  month: 'Month',
  reservationId: 'Reservation',
  leaseId: 'Budget lease',
  unpricedModel: 'Unpriced model',
  tool: 'Tool',
  runtime: 'Runs on',
  requestId: 'Approval request',
  kind: 'Kind',
  target: 'Target',
  risk: 'Risk',
  summary: 'Summary',
  remember: 'Remembered as precedent',
  auto: 'Decided automatically',
  note: 'Note',
  name: 'Name',
  role: 'Role',
  status: 'Status',
};

/** The fields shown first, in this order; the rest follow as the event lists them. */
const ORDER = [
  'decision',
  'code',
  'reason',
  'model',
  'provider',
  'agent',
  'userId',
  'apiKeyId',
  'costMicros',
  'amountMicros',
  'actualMicros',
  'latencyMs',
  'inputTokens',
  'outputTokens',
  'tool',
  'dlp',
  'rulesMatched',
];

const NAMED = new Set(['userId', 'apiKeyId', 'keyId', 'deviceId', 'createdBy', 'approvedBy']);

const sentence = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function format(
  key: string,
  value: unknown,
  names: Record<string, string>,
): { value: string; mono?: boolean } {
  if (value === null || value === undefined) return { value: '—' };
  if (typeof value === 'boolean') return { value: value ? 'yes' : 'no' };
  if (typeof value === 'number') {
    if (key.endsWith('Micros')) return { value: usdFromMicros(value) };
    if (key.endsWith('Ms')) return { value: duration(value) };
    if (key === 'factor') return { value: `${value.toFixed(1)}×` };
    return { value: count(value) };
  }
  if (typeof value === 'string') {
    if (/Sha256$|^hash$|^prev$/.test(key)) return { value: shortHash(value), mono: true };
    if (NAMED.has(key))
      return { value: names[value] ? `${names[value]} (${value})` : value, mono: !names[value] };
    return { value, mono: key.startsWith('masked') };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { value: 'none' };
    return { value: value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') };
  }
  if (key === 'dlp' && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, number>).filter(([, n]) => n > 0);
    return { value: entries.length === 0 ? 'none' : entries.map(([type, n]) => `${type} × ${n}`).join(', ') };
  }
  return { value: JSON.stringify(value), mono: true };
}

/**
 * An event's data as labelled lines people read: costs in dollars, durations in ms or s, token
 * counts, DLP findings as entity × count, ids by name. The raw envelope stays one click away.
 */
export function summaryOf(data: Record<string, unknown>, names: Record<string, string>): SummaryField[] {
  const keys = Object.keys(data);
  const ordered = [...ORDER.filter((k) => k in data), ...keys.filter((k) => !ORDER.includes(k))];
  return ordered.map((key) => ({
    key,
    label: LABELS[key] ?? sentence(key),
    ...format(key, data[key], names),
  }));
}
