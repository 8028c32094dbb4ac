import type { AccountView, ActivityEntry, InboxItem } from '../shared/contract.js';
import { byId, el } from './dom.js';

const KIND_LABEL: Record<InboxItem['request']['kind'], string> = {
  llm_call: 'AI call',
  tool_call: 'Agent tool call',
  mcp_call: 'MCP tool call',
  workflow_step: 'Workflow step',
  consensus: 'Agents disagree',
  pu_promotion: 'Parallel Universe promotion',
};

const STATUS_LABEL: Record<AccountView['status'], string> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  repair: 'unpaired — pair again',
};

const time = (iso: string) => new Date(iso).toLocaleTimeString();

function contextValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export function renderDialog(item: InboxItem): void {
  const { request } = item;
  byId('dialog-org').textContent = item.orgName;
  const risk = byId('dialog-risk');
  risk.textContent = `${request.risk} risk`;
  risk.className = `badge risk-${request.risk}`;
  byId('dialog-kind').textContent = KIND_LABEL[request.kind];
  byId('dialog-title').textContent = request.summary;
  byId('dialog-subject').textContent = request.subject;
  const context = byId('dialog-context');
  context.replaceChildren(
    ...Object.entries(request.context).flatMap(([key, value]) => [
      el('dt', { text: key }),
      el('dd', { text: contextValue(value) }),
    ]),
  );
}

export function renderCountdown(options: { remainingMs: number; totalMs: number }): void {
  const seconds = Math.max(0, Math.ceil(options.remainingMs / 1000));
  byId('countdown-text').textContent = seconds > 0 ? `Denies in ${seconds} s` : 'Denying…';
  const bar = byId<HTMLProgressElement>('countdown-bar');
  bar.value = options.totalMs > 0 ? Math.max(0, options.remainingMs / options.totalMs) : 0;
}

export function renderQueue(options: {
  items: InboxItem[];
  selected: string | undefined;
  keyOf: (item: InboxItem) => string;
  onSelect: (key: string) => void;
}): void {
  const rows = options.items.map((item) => {
    const key = options.keyOf(item);
    const open = el('button', { text: key === options.selected ? 'open' : 'review' });
    open.type = 'button';
    open.disabled = key === options.selected;
    open.addEventListener('click', () => options.onSelect(key));
    return el('li', { data: { key } }, [
      el('span', { text: `${item.orgName} · ${item.request.risk} · ${item.request.summary} ` }),
      open,
    ]);
  });
  byId('queue').replaceChildren(...(rows.length ? rows : [el('li', { text: 'Nothing waiting.' })]));
}

export function describeActivity(entry: ActivityEntry): string {
  const who = entry.byMe ? 'you' : entry.auto ? `precedent (${entry.by})` : entry.by;
  const verdict =
    entry.status === 'approved' ? 'approved' : entry.status === 'denied' ? 'denied' : entry.status;
  return `${time(entry.at)} · ${entry.orgName} · ${entry.summary} — ${verdict} by ${who}${entry.note ? ` (${entry.note})` : ''}`;
}

/** One line over the activity panel: how the recent decisions went. */
export function activityTally(entries: ActivityEntry[]): string {
  if (entries.length === 0) return '';
  const count = (status: ActivityEntry['status']) => entries.filter((e) => e.status === status).length;
  const parts = [`${count('approved')} approved`, `${count('denied')} denied`];
  if (count('expired') > 0) parts.push(`${count('expired')} expired`);
  return `Last ${entries.length} decision${entries.length === 1 ? '' : 's'}: ${parts.join(' · ')}`;
}

export function renderActivity(entries: ActivityEntry[]): void {
  byId('activity-summary').textContent = activityTally(entries);
  const rows = entries.map((entry) =>
    el('li', { text: describeActivity(entry), data: { id: entry.id, status: entry.status } }),
  );
  byId('activity').replaceChildren(...(rows.length ? rows : [el('li', { text: 'No resolutions yet.' })]));
}

export function renderAccounts(accounts: AccountView[], onUnpair: (org: string) => void): void {
  const rows = accounts.map((account) => {
    const remove = el('button', { text: 'Unpair' });
    remove.type = 'button';
    remove.addEventListener('click', () => onUnpair(account.org));
    const children: Node[] = [
      el('strong', { text: account.orgName }),
      el('span', {
        text: ` · ${STATUS_LABEL[account.status]} · token until ${new Date(account.expiresAt).toLocaleDateString()} `,
      }),
      remove,
    ];
    if (account.message)
      children.push(el('p', { text: account.message, className: `status-${account.status}` }));
    return el('li', { className: `status-${account.status}`, data: { org: account.org } }, children);
  });
  byId('accounts').replaceChildren(
    ...(rows.length ? rows : [el('li', { text: 'Not paired with any organisation yet.' })]),
  );
}
