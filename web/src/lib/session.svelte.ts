import type { Role, Session } from '@proofpane/api';

/**
 * What a sign-in, registration, accepted invitation or org switch returned, and the role once known.
 * An accepted invitation states no expiry.
 */
export type SignedIn = Omit<Session, 'expiresAt'> & { expiresAt?: string; role?: Role };

const KEY = 'proofpane.session';

function load(): SignedIn | null {
  if (typeof localStorage === 'undefined') return null;
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as SignedIn | null;
    if (!stored?.token) return null;
    if (stored.expiresAt && Date.parse(stored.expiresAt) <= Date.now()) return null;
    return stored;
  } catch {
    return null;
  }
}

/**
 * The signed-in session, kept in localStorage so a pop-out window shares it. The strict CSP the
 * server sends with the console is what keeps scripts that could read it out.
 */
class SessionStore {
  current = $state<SignedIn | null>(load());
  /** Why the last session ended, shown on the sign-in page. */
  notice = $state<string | null>(null);

  set(next: SignedIn): void {
    this.current = next;
    this.notice = null;
    localStorage.setItem(KEY, JSON.stringify(next));
  }

  update(patch: Partial<SignedIn>): void {
    if (!this.current) return;
    this.set({ ...this.current, ...patch });
  }

  clear(): void {
    this.current = null;
    localStorage.removeItem(KEY);
  }

  expire(reason: string): void {
    if (!this.current) return;
    this.clear();
    this.notice = `You were signed out: ${reason}`;
  }
}

export const session = new SessionStore();

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) session.current = load();
  });
}
