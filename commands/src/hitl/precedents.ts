import type { Risk } from './risk.js';
import { tokens } from './similarity.js';

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
const CITED = 10;

/** Decisions on requests with the same words: one similarity computation serves them all. */
interface Group {
  words: Set<string>;
  decisions: Map<string, Precedent & { weight: number }>;
}

const signatureOf = (words: Set<string>) => [...words].sort().join(' ');

/** Groups of one (target, argument class), with an inverted index from word to groups. */
class Bucket {
  readonly groups = new Map<string, Group>();
  private readonly postings = new Map<string, Set<Group>>();

  group(words: Set<string>): Group {
    const signature = signatureOf(words);
    let group = this.groups.get(signature);
    if (!group) {
      group = { words, decisions: new Map() };
      this.groups.set(signature, group);
      for (const word of words) {
        let list = this.postings.get(word);
        if (!list) {
          list = new Set();
          this.postings.set(word, list);
        }
        list.add(group);
      }
    }
    return group;
  }

  drop(signature: string): void {
    const group = this.groups.get(signature);
    if (!group || group.decisions.size > 0) return;
    this.groups.delete(signature);
    for (const word of group.words) this.postings.get(word)?.delete(group);
  }

  /** Groups sharing at least one word with `words` (all groups with no words when `words` is empty), with the count shared. */
  candidates(words: ReadonlySet<string>): Map<Group, number> {
    const shared = new Map<Group, number>();
    if (words.size === 0) {
      const empty = this.groups.get('');
      if (empty) shared.set(empty, 0);
      return shared;
    }
    for (const word of words) {
      for (const group of this.postings.get(word) ?? []) shared.set(group, (shared.get(group) ?? 0) + 1);
    }
    return shared;
  }
}

/**
 * Past human decisions, indexed by target (tool or route) and argument class, grouped by their
 * words. A new request is auto-approved when the similarity-weighted support of agreeing
 * approvals, minus that of denials, reaches the org's threshold. High-risk requests never are.
 */
export class PrecedentIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly located = new Map<string, { bucket: string; signature: string }>();

  add(precedent: Precedent): void {
    this.revoke(precedent.requestId);
    const bucketKey = `${precedent.target}\u0000${precedent.argClass}`;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) {
      bucket = new Bucket();
      this.buckets.set(bucketKey, bucket);
    }
    const words = tokens(precedent.text);
    const signature = signatureOf(words);
    const group = bucket.group(words);
    group.decisions.set(precedent.requestId, {
      ...precedent,
      weight: precedent.remember ? REMEMBER_WEIGHT : 1,
    });
    this.located.set(precedent.requestId, { bucket: bucketKey, signature });
  }

  revoke(requestId: string): boolean {
    const where = this.located.get(requestId);
    if (!where) return false;
    this.located.delete(requestId);
    const bucket = this.buckets.get(where.bucket);
    bucket?.groups.get(where.signature)?.decisions.delete(requestId);
    bucket?.drop(where.signature);
    return true;
  }

  get size(): number {
    return this.located.size;
  }

  match(options: {
    target: string;
    argClass: string;
    text: string;
    risk: Risk;
    threshold: number;
  }): PrecedentMatch {
    const none: PrecedentMatch = { approve: false, score: 0, cited: [] };
    if (options.risk === 'high') return none;
    const bucket = this.buckets.get(`${options.target}\u0000${options.argClass}`);
    if (!bucket) return none;
    const words = tokens(options.text);
    let score = 0;
    const cited: PrecedentMatch['cited'] = [];
    for (const [group, shared] of bucket.candidates(words)) {
      const union = words.size + group.words.size - shared;
      const similarity = union === 0 ? 1 : shared / union;
      if (similarity < MIN_SIMILARITY) continue;
      for (const decision of group.decisions.values()) {
        if (decision.decision === 'deny') {
          score -= similarity * decision.weight;
          continue;
        }
        score += similarity * decision.weight;
        keepTop(cited, { requestId: decision.requestId, approvedBy: decision.decidedBy, similarity });
      }
    }
    for (const c of cited) c.similarity = Math.round(c.similarity * 1000) / 1000;
    return { approve: score >= options.threshold && cited.length > 0, score, cited };
  }
}

/** Keeps the `CITED` most similar approvals, most similar first, without sorting them all. */
function keepTop(list: PrecedentMatch['cited'], item: PrecedentMatch['cited'][number]): void {
  if (list.length === CITED && list[CITED - 1]!.similarity >= item.similarity) return;
  let at = list.findIndex((c) => c.similarity < item.similarity);
  if (at < 0) at = list.length;
  list.splice(at, 0, item);
  if (list.length > CITED) list.pop();
}
