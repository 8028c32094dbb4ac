import type { EventEnvelope, EventStore } from '@proofpane/core';
import { z } from 'zod';

/** The most events a pack selected by explicit seqs may name. */
export const MAX_SELECTED_SEQS = 10_000;

/** Which events a pack holds. Every field narrows; `{}` selects the whole chain. */
export const selectionSchema = z
  .strictObject({
    fromSeq: z.number().int().positive().optional(),
    toSeq: z.number().int().positive().optional(),
    fromTime: z.iso.datetime({ offset: true }).optional(),
    toTime: z.iso.datetime({ offset: true }).optional(),
    types: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
    runId: z.string().min(1).max(200).optional(),
    subject: z.string().min(1).max(300).optional(),
    /** Exactly these events (by seq), e.g. the ones evidencing one control; the other fields still narrow. */
    seqs: z.array(z.number().int().positive()).min(1).max(MAX_SELECTED_SEQS).optional(),
  })
  .refine((s) => s.fromSeq === undefined || s.toSeq === undefined || s.fromSeq <= s.toSeq, {
    message: 'fromSeq must not be after toSeq',
    path: ['fromSeq'],
  });

export type Selection = z.infer<typeof selectionSchema>;

const PAGE = 5_000;

/** Every event of the org up to `toSeq`, page by page. */
async function* scan(store: EventStore, org: string, fromSeq: number, toSeq: number) {
  for (let from = fromSeq; from <= toSeq; from += PAGE) {
    const page = await store.readOrg({
      org,
      fromSeq: from,
      toSeq: Math.min(toSeq, from + PAGE - 1),
      limit: PAGE,
    });
    yield* page;
    if (page.length < Math.min(PAGE, toSeq - from + 1)) return;
  }
}

/** The run and all runs nested under it through `meta.parentRunId` on their `cp.run.started`. */
async function runFamily(store: EventStore, org: string, toSeq: number, root: string): Promise<Set<string>> {
  const children = new Map<string, string[]>();
  for await (const event of scan(store, org, 1, toSeq)) {
    if (event.type !== 'cp.run.started') continue;
    const parent = event.meta.parentRunId;
    const id = event.meta.runId ?? event.subject.replace(/^run\//, '');
    if (parent) children.set(parent, [...(children.get(parent) ?? []), id]);
  }
  const family = new Set<string>([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!family.has(child)) {
        family.add(child);
        queue.push(child);
      }
    }
  }
  return family;
}

/** The selected events of `org` among seq 1..headSeq, ascending. */
export async function selectEvents(options: {
  store: EventStore;
  org: string;
  headSeq: number;
  selection: Selection;
}): Promise<EventEnvelope[]> {
  const { store, org, selection } = options;
  const toSeq = Math.min(options.headSeq, selection.toSeq ?? Number.MAX_SAFE_INTEGER);
  const family = selection.runId ? await runFamily(store, org, toSeq, selection.runId) : undefined;
  const fromTime = selection.fromTime ? Date.parse(selection.fromTime) : undefined;
  const toTime = selection.toTime ? Date.parse(selection.toTime) : undefined;
  const types = selection.types ? new Set(selection.types) : undefined;
  const seqs = selection.seqs ? new Set(selection.seqs) : undefined;
  const firstSeq = Math.max(selection.fromSeq ?? 1, seqs ? Math.min(...seqs) : 1);
  const lastSeq = seqs ? Math.min(toSeq, Math.max(...seqs)) : toSeq;
  const out: EventEnvelope[] = [];
  for await (const event of scan(store, org, firstSeq, lastSeq)) {
    if (seqs && !seqs.has(event.seq)) continue;
    if (types && !types.has(event.type)) continue;
    if (selection.subject && event.subject !== selection.subject) continue;
    const time = fromTime !== undefined || toTime !== undefined ? Date.parse(event.time) : 0;
    if (fromTime !== undefined && time < fromTime) continue;
    if (toTime !== undefined && time > toTime) continue;
    if (family) {
      const runOfSubject = event.subject.startsWith('run/') ? event.subject.slice(4) : undefined;
      const inFamily =
        (event.meta.runId !== undefined && family.has(event.meta.runId)) ||
        (runOfSubject !== undefined && family.has(runOfSubject));
      if (!inFamily) continue;
    }
    out.push(event);
  }
  return out;
}
