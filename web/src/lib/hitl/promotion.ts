import { PU_PROMOTION_TARGET } from '@proofpane/api';

export interface Promotion {
  itemId: string;
  into: 'gene' | 'coder';
  /** What an approval makes, in the reviewer's words. */
  label: string;
  /** The item on the Parallel Universe page. */
  href: string;
}

/** A `pu_promotion` request's target read back as the item and what it becomes; null for any other. */
export function promotionOf(request: { kind: string; target: string }): Promotion | null {
  if (request.kind !== 'pu_promotion') return null;
  const match = PU_PROMOTION_TARGET.exec(request.target);
  if (!match) return null;
  const itemId = match[1]!;
  const into = match[2] as Promotion['into'];
  return {
    itemId,
    into,
    label: into === 'gene' ? 'a gene proposal' : 'a Repo Coder session awaiting its run',
    href: `/parallel-universe#item-${itemId}`,
  };
}
