const usdFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 2,
});
const smallUsd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 6,
});

/** Integer micro-dollars as dollars; sub-cent amounts keep their digits. */
export function usdFromMicros(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return '—';
  return usd(micros / 1_000_000);
}

export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value !== 0 && Math.abs(value) < 0.01 ? smallUsd.format(value) : usdFormat.format(value);
}

export const count = (n: number) => n.toLocaleString('en-US');

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}Z`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const shortHash = (hash: string | undefined) =>
  hash ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : '—';
