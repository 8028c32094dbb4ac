import type { Decision } from '@proofpane/api';
import {
  type ApproverApi,
  type ApproverState,
  type InboxItem,
  itemKey,
  type Outcome,
} from '../shared/contract.js';
import { byId, show } from './dom.js';
import { renderAccounts, renderActivity, renderCountdown, renderDialog, renderQueue } from './views.js';

declare global {
  interface Window {
    proofpane: ApproverApi;
  }
}

const api = window.proofpane;
const TICK_MS = 200;
const keyOf = (item: InboxItem) => itemKey(item.org, item.request.id);

let state: ApproverState = { accounts: [], pending: [], activity: [], countdownSeconds: 60 };
let selected: InboxItem | undefined;
let busy = false;
const defaulted = new Set<string>();

function notice(text: string | undefined): void {
  const node = byId('notice');
  node.textContent = text ?? '';
  show(node, text !== undefined);
}

function setBusy(value: boolean): void {
  busy = value;
  for (const id of ['approve', 'remember', 'deny']) byId<HTMLButtonElement>(id).disabled = value;
}

function apply(next: ApproverState): void {
  state = next;
  if (selected) {
    const key = keyOf(selected);
    const still = next.pending.find((item) => keyOf(item) === key);
    if (!still) {
      const mine = next.activity.find((entry) => itemKey(entry.org, entry.id) === key && entry.byMe);
      if (!mine && !defaulted.has(key))
        notice(`“${selected.request.summary}” was resolved by another approver.`);
      selected = undefined;
      setBusy(false);
    } else {
      selected = still;
    }
  }
  if (!selected && next.pending[0]) {
    selected = next.pending[0];
    byId('dialog-error').hidden = true;
  }
  render();
}

function render(): void {
  const count = state.pending.length;
  byId('summary').textContent =
    count === 0 ? 'Nothing waiting.' : `${count} request${count > 1 ? 's' : ''} waiting.`;
  show(byId('dialog'), selected !== undefined);
  if (selected) renderDialog(selected);
  renderQueue({
    items: state.pending,
    selected: selected ? keyOf(selected) : undefined,
    keyOf,
    onSelect: (key) => {
      selected = state.pending.find((item) => keyOf(item) === key) ?? selected;
      render();
    },
  });
  renderActivity(state.activity);
  renderAccounts(state.accounts, (org) => void api.unpair(org));
  tick();
}

async function decide(
  decision: Decision,
  options: { remember?: boolean; timedOut?: boolean } = {},
): Promise<void> {
  const item = selected;
  if (!item || (busy && !options.timedOut)) return;
  setBusy(true);
  notice(undefined);
  const outcome: Outcome = await api.resolve({
    org: item.org,
    id: item.request.id,
    decision,
    ...(options.remember ? { remember: true } : {}),
    ...(options.timedOut ? { timedOut: true } : {}),
  });
  if (!outcome.ok) {
    const error = byId('dialog-error');
    error.textContent = outcome.message;
    error.hidden = false;
  }
  setBusy(false);
}

function tick(): void {
  if (!selected) return;
  const key = keyOf(selected);
  const totalMs = state.countdownSeconds * 1000;
  const remainingMs = Date.parse(selected.deadline) - Date.now();
  renderCountdown({ remainingMs, totalMs });
  if (remainingMs <= 0 && !defaulted.has(key)) {
    defaulted.add(key);
    void decide('deny', { timedOut: true });
  }
}

byId('approve').addEventListener('click', () => void decide('approve'));
byId('remember').addEventListener('click', () => void decide('approve', { remember: true }));
byId('deny').addEventListener('click', () => void decide('deny'));

byId<HTMLFormElement>('pair-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const message = byId('pair-message');
  message.textContent = 'Pairing…';
  void api
    .pair({
      serverUrl: String(data.get('serverUrl') ?? ''),
      code: String(data.get('code') ?? ''),
      name: String(data.get('name') ?? ''),
    })
    .then((outcome) => {
      message.textContent = outcome.ok ? (outcome.message ?? 'Paired.') : outcome.message;
      if (outcome.ok) form.reset();
    });
});

api.onState(apply);
void api.getState().then(apply);
setInterval(tick, TICK_MS);
