import { z } from 'zod';

/** A small catalogue for store tests, so they do not depend on product event shapes. */
export const testCatalogue = {
  'cp.test.noted': z.strictObject({ n: z.number().int(), note: z.string().optional() }),
  'cp.test.flagged': z.strictObject({ reason: z.string().min(1) }),
};

export const noted = (n: number, subject = `item/${n}`) => ({
  type: 'cp.test.noted' as const,
  subject,
  data: { n },
  actor: { kind: 'system' as const, id: 'test' },
});
