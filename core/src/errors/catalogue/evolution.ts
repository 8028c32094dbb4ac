import { errorSection } from '../entry.js';

/** Genes, capsules and dreams of skills' system prompts (`commands/src/evolution`, docs/evolution.md). */
export const evolutionErrors = errorSection('api.md#evolution', {
  evolution_skill_not_found: { status: 404, title: 'No skill with this id can evolve' },
  evolution_gene_not_found: { status: 404, title: 'No gene with this id in the org' },
  evolution_capsule_not_found: { status: 404, title: 'No capsule with this id in the org' },
  evolution_gene_lifecycle: {
    status: 409,
    title: 'The gene cannot make this move from its status',
  },
  evolution_four_eyes: {
    status: 409,
    title: 'The person who proposed the gene cannot approve it',
  },
  evolution_open_proposals_limit: {
    status: 409,
    title: 'The skill already has as many open proposals as the org allows',
  },
  evolution_gene_duplicate: {
    status: 409,
    title: 'The skill already has an open or approved gene with this text',
  },
  evolution_capsule_active: { status: 409, title: 'The capsule is already the active one' },
  evolution_budget_exhausted: {
    status: 402,
    title: "The org's evolution budget for the month is spent",
  },
});
