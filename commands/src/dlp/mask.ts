import type { DlpVault, EntityType, Finding } from './types.js';

/** `[EMAIL_1]`, `[API_SECRET_12]`: what a provider sees instead of a value. */
export const PLACEHOLDER = /\[([A-Z][A-Z_]*[A-Z])_(\d+)\]/g;

export interface MaskOptions {
  text: string;
  findings: readonly Finding[];
  /** Vault of earlier texts of the same request, so one value keeps one placeholder across messages. */
  vault?: DlpVault;
  /** Restrict masking to these types (the others are left in place). Default: every finding. */
  types?: ReadonlySet<EntityType>;
}

export interface MaskResult {
  text: string;
  /** The input vault plus this text's new placeholders (a new object; the input is not mutated). */
  vault: DlpVault;
}

/** Replaces each finding with a typed placeholder; equal values share one placeholder within a vault. */
export function mask(options: MaskOptions): MaskResult {
  const { text, findings, types } = options;
  const vault: DlpVault = { ...options.vault };
  const byValue = new Map<string, string>();
  const counters = new Map<string, number>();
  for (const [placeholder, value] of Object.entries(vault)) {
    const m = /^\[(.+)_(\d+)\]$/.exec(placeholder);
    if (!m) continue;
    byValue.set(`${m[1]}\u0000${value}`, placeholder);
    counters.set(m[1]!, Math.max(counters.get(m[1]!) ?? 0, Number(m[2])));
  }
  let out = '';
  let cursor = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (types && !types.has(f.type)) continue;
    if (f.start < cursor) continue;
    const value = text.slice(f.start, f.end);
    const key = `${f.type}\u0000${value}`;
    let placeholder = byValue.get(key);
    if (placeholder === undefined) {
      const n = (counters.get(f.type) ?? 0) + 1;
      counters.set(f.type, n);
      placeholder = `[${f.type}_${n}]`;
      byValue.set(key, placeholder);
      vault[placeholder] = value;
    }
    out += text.slice(cursor, f.start) + placeholder;
    cursor = f.end;
  }
  return { text: out + text.slice(cursor), vault };
}

/** Puts the original values back; placeholders the vault does not know are left as they are. */
export function restore(options: { text: string; vault: DlpVault }): string {
  const { text, vault } = options;
  if (!text.includes('[')) return text;
  return text.replace(PLACEHOLDER, (whole) => vault[whole] ?? whole);
}
