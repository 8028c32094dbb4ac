import type { Risk } from './risk.js';
import { jaccard, tokens } from './similarity.js';

export interface Precedent {
  requestId: string;
  target: string;
  argClass: string;
  decision: 'approve' | 'deny';
  remember: boolean;
  /** Who decided: cited by an auto-approval. */
  decidedBy: string;
  text: string;
}

export interface PrecedentMatch {
  approve: boolean;
  score: number;
  cited: { requestId: string; approvedBy: string; similarity: number }[];
}

/** "Approve & remember" counts three times an ordinary approval. */
export const REMEMBER_WEIGHT = 3.0;
/** Below this similarity a past decision says nothing about a new request. */
export const MIN_SIMILARITY = 0.5;

interface Entry extends Precedent {
  words: Set<string>;
  weight: number;
}

/**
 * Past human decisions, indexed by target (tool or route) and argument class. A new request is
 * auto-approved when the similarity-weighted support of agreeing approvals, minus that of
 * denials, reaches the org's threshold. High-risk requests never are.
 */
export class PrecedentIndex {
  private readonly buckets = new Map<string, Map<string, Entry>>();
  private readonly byId = new Map<string, string>();

  add(precedent: Precedent): void {
    const key = `${precedent.target}\u0000${precedent.argClass}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(key, bucket);
    }
    bucket.set(precedent.requestId, {
      ...precedent,
      words: tokens(precedent.text),
      weight: precedent.remember ? REMEMBER_WEIGHT : 1,
    });
    this.byId.set(precedent.requestId, key);
  }

  revoke(requestId: string): boolean {
    const key = this.byId.get(requestId);
    if (!key) return false;
    this.byId.delete(requestId);
    return this.buckets.get(key)?.delete(requestId) ?? false;
  }

  get size(): number {
    return this.byId.size;
  }

  match(options: { target: string; argClass: string; text: string; risk: Risk; threshold: number }): PrecedentMatch {
    const none: PrecedentMatch = { approve: false, score: 0, cited: [] };
    if (options.risk === 'high') return none;
    const bucket = this.buckets.get(`${options.target}\u0000${options.argClass}`);
    if (!bucket) return none;
    const words = tokens(options.text);
    let score = 0;
    const cited: PrecedentMatch['cited'] = [];
    for (const entry of bucket.values()) {
      const similarity = jaccard(words, entry.words);
      if (similarity < MIN_SIMILARITY) continue;
      if (entry.decision === 'approve') {
        score += similarity * entry.weight;
        cited.push({ requestId: entry.requestId, approvedBy: entry.decidedBy, similarity: Math.round(similarity * 1000) / 1000 });
      } else {
        score -= similarity * entry.weight;
      }
    }
    cited.sort((a, b) => b.similarity - a.similarity);
    return { approve: score >= options.threshold && cited.length > 0, score, cited: cited.slice(0, 10) };
  }
}
