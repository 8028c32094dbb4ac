let pending: string | null = null;

/** A notice that outlives one navigation: saving a new workflow moves to its edit page. */
export function setFlash(text: string): void {
  pending = text;
}

export function takeFlash(): string | null {
  const text = pending;
  pending = null;
  return text;
}
