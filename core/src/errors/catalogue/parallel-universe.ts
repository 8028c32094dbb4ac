import { errorSection } from '../entry.js';

/** Parallel Universe items and settings (`commands/src/parallel-universe`, docs/parallel-universe.md). */
export const parallelUniverseErrors = errorSection('api.md#parallel-universe', {
  pu_item_not_found: { status: 404, title: 'No Parallel Universe item with this id in the org' },
  pu_item_state: {
    status: 409,
    title:
      'The item is not in a state that allows this (promote once, from a triage that proposed a gene or a coder goal)',
  },
});
