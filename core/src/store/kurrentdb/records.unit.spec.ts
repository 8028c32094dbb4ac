import { describe, expect, it } from 'vitest';
import { compareCursors, START_CURSOR } from '../cursor.js';
import { cursorOf, positionOf, toStored } from './records.js';

describe('kurrentdb records', () => {
  it('turns $all positions into cursors ordered as the positions are, up to 64 bits, and back', () => {
    const max = 2n ** 64n - 1n;
    const positions = [
      { commit: 1n, prepare: 1n },
      { commit: 1n, prepare: 9n },
      { commit: 10n, prepare: 2n },
      { commit: max, prepare: max },
    ];
    const cursors = positions.map(cursorOf);
    expect(cursors[3]).toBe(`${max}.${max}`);
    for (let i = 1; i < cursors.length; i++) expect(compareCursors(cursors[i - 1]!, cursors[i]!)).toBe(-1);
    expect(cursors.map(positionOf)).toEqual(positions);
    expect(positionOf(START_CURSOR)).toBeUndefined();
    expect(positionOf(undefined)).toBeUndefined();
    expect(() => positionOf('not-a-cursor')).toThrow(RangeError);
  });

  it('stores the envelope without its hash as the data and the hash as the metadata', () => {
    const envelope = {
      org: 'org_a',
      seq: 1,
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      type: 'cp.test.noted',
      subject: 'item/1',
      subjectVersion: 1,
      time: '2026-01-01T00:00:00.000Z',
      actor: { kind: 'system' as const, id: 'test' },
      data: { n: 1 },
      meta: {},
      prev: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    const stored = toStored(envelope);
    expect(stored).toMatchObject({
      id: envelope.id,
      type: 'cp.test.noted',
      metadata: { hash: envelope.hash },
    });
    const { hash: _, ...body } = envelope;
    expect(stored.data).toEqual(body);
  });
});
