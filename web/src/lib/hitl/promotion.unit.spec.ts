import { describe, expect, it } from 'vitest';
import { promotionOf } from './promotion';

const item = `pu_${'a1'.repeat(12)}`;

describe('promotionOf', () => {
  it('reads the item and what an approval makes from a pu_promotion target', () => {
    expect(promotionOf({ kind: 'pu_promotion', target: `pu-item/${item}/coder` })).toEqual({
      itemId: item,
      into: 'coder',
      label: 'a Repo Coder session awaiting its run',
      href: `/parallel-universe#item-${item}`,
    });
    expect(promotionOf({ kind: 'pu_promotion', target: `pu-item/${item}/gene` })?.into).toBe('gene');
  });

  it('answers null for other kinds and for targets of another shape', () => {
    expect(promotionOf({ kind: 'workflow_step', target: `pu-item/${item}/coder` })).toBeNull();
    expect(promotionOf({ kind: 'pu_promotion', target: `pu-item/${item}/deploy` })).toBeNull();
    expect(promotionOf({ kind: 'pu_promotion', target: 'pu-item/../coder' })).toBeNull();
  });
});
