/** What a sign-in, registration, invitation or org switch returns: the token and who it acts as. */
export interface Session {
  token: string;
  expiresAt?: string;
  user: { id: string; email: string };
  org: { id: string; name: string };
  role?: string;
}

const KEY = 'proofpane.session';

function load(): Session | null {
  if (typeof localStorage === 'undefined') return null;
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
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
  current = $state<Session | null>(load());
  /** Why the last session ended, shown on the sign-in page. */
  notice = $state<string | null>(null);

  set(next: Session): void {
    this.current = next;
    this.notice = null;
    localStorage.setItem(KEY, JSON.stringify(next));
  }

  update(patch: Partial<Session>): void {
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
