/**
 * What a verifier does with one hash of an audit path: the hash at `step` of the path stands for
 * the sibling of node `index` on `level`, a level whose last node is `last`. Answering false stops
 * the walk, which then rejects the path.
 */
export type AuditPathStep = (step: number, level: number, index: number, last: number) => boolean;

/**
 * The walk up an RFC 6962 tree that every proof check in this package follows: the RFC 9162
 * §2.1.3.2 inclusion loop (audit paths of RFC 6962 §2.1.1) and, started where §2.1.4.2 starts it,
 * the consistency loop (proofs of RFC 6962 §2.1.2). It only tracks where the walk is; `visit`
 * decides what a step does (hash, compare with a stored node, claim a slot), so the index
 * arithmetic an auditor has to trust exists once. A callback rather than a cursor object because
 * the hot callers stay as fast as a hand-written loop only while the walk's state lives in locals.
 *
 * `index` and `last` are RFC 9162's `fn` and `sn`. The RFC right-shifts past levels where the node
 * is the unpaired rightmost one just after hashing it with its left sibling; this walk skips those
 * levels just before, so each step also knows the level and position of the sibling its path hash
 * stands for, which callers holding the tree's nodes need. Both orders combine the same hashes in
 * the same order and accept exactly the same paths.
 *
 * True when the walk reached the root having visited all `length` path hashes, each accepted.
 */
export function walkAuditPath(
  index: number,
  last: number,
  length: number,
  visit: AuditPathStep,
  level = 0,
): boolean {
  let step = 0;
  for (;;) {
    while (carried(index, last)) {
      index /= 2;
      last /= 2;
      level++;
    }
    if (last === 0) return step === length;
    if (step >= length || !visit(step, level, index, last)) return false;
    step++;
    index = Math.floor(index / 2);
    last = Math.floor(last / 2);
    level++;
  }
}

/** Position of the sibling of node `index` within its level. */
export function siblingOf(index: number): number {
  return index % 2 === 1 ? index - 1 : index + 1;
}

/** Whether the path hash of a step goes on the left of the node hash (RFC 9162 §2.1.3.2's own test). */
export function siblingIsLeft(index: number, last: number): boolean {
  // Where `walkAuditPath` calls `visit`, `index === last` only holds for an odd index; the second
  // test only matters for positions that are not integers, which `verifyInclusion` accepts.
  return index % 2 === 1 || index === last;
}

/** Whether the parent of node `index` is carried up unchanged, so it has no sibling itself. */
export function parentCarried(index: number, last: number): boolean {
  return carried(Math.floor(index / 2), Math.floor(last / 2));
}

/** An unpaired rightmost node, which RFC 6962's "largest power of two" split carries up unchanged. */
function carried(index: number, last: number): boolean {
  return index === last && index % 2 === 0 && last !== 0;
}
