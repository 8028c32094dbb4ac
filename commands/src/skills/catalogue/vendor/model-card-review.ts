import { defineSkill } from '../../skill.js';
import { choice, choices, list, object, text } from '../schema-parts.js';

const items = [
  'intended_use',
  'out_of_scope_uses',
  'training_data',
  'evaluation_results',
  'bias_evaluation',
  'safety_evaluation',
  'limitations',
  'license',
  'version_history',
  'contact',
] as const;

export const modelCardReview = defineSkill({
  id: 'vendor.model_card_review',
  category: 'vendor',
  title: 'Review a model card for fitness of use',
  description:
    'Reads a model card or system card against the organisation’s intended use: what it documents and omits, known limitations, evaluation gaps, licence concerns and what to monitor once the model is in use.',
  version: '1.0.0',
  inputSchema: object({
    modelName: text('The model and version', 200),
    provider: text('Who publishes it', 200),
    modelCardText: text('The model card as published', 100_000),
    intendedUse: text('What the organisation wants to use it for', 4_000),
  }),
  outputSchema: object({
    intendedUseFit: choice(
      ['unclear', 'fit', 'partial_fit', 'not_fit'],
      'Whether the card supports the intended use',
    ),
    documented: choices(items, 'What the card documents', { max: items.length }),
    missing: choices(items, 'What the card omits that this use needs', { max: items.length }),
    knownLimitations: list(text('A limitation', 400), 'Limitations relevant to the intended use', {
      max: 12,
    }),
    evaluationGaps: list(text('A gap', 400), 'Evaluations to run before relying on it', { max: 12 }),
    licenceConcerns: text(
      'Licence or acceptable-use terms that constrain the use; "none found" if none',
      800,
    ),
    monitoring: list(text('A signal', 300), 'What to monitor in production for this model', {
      min: 1,
      max: 10,
    }),
  }),
  basePrompt: `You are reviewing a model card (or system card) before the organisation relies on the model.
Compare it with the intended use: does the card's stated intended use cover it, are there out-of-scope uses
that match it, and what evidence do the evaluation results give for it? Note what the card documents and what
it omits (training data, bias and safety evaluations, limitations, licence, versioning, contact). List the
limitations that matter for this use, the evaluations the organisation should run itself, licence or
acceptable-use constraints, and the signals to monitor once live (including silent version changes by the
provider). Cite the card; do not assume what it does not say.`,
  controls: [
    'NIST-AI-RMF:MANAGE 3.2',
    'NIST-AI-RMF:MAP 4.1',
    'ISO42001:A.6.2.7',
    'ISO42001:A.10.3',
    'EU-AI-ACT:Art.53',
  ],
  allowedTools: [],
  evalCases: [
    {
      name: 'recognises documented sections',
      input: {
        modelName: 'open-chat-7b v2',
        provider: 'Open Lab',
        modelCardText:
          'Intended use: research chat. Limitations: may produce false statements. License: non-commercial research licence.',
        intendedUse: 'Drafting customer emails',
      },
      assertions: [
        { type: 'contains', path: '/documented', value: 'limitations' },
        { type: 'contains', path: '/documented', value: 'license' },
      ],
    },
    {
      name: 'always proposes monitoring',
      input: {
        modelName: 'embed-large',
        provider: 'Vector Co',
        modelCardText: 'Text embedding model, 1024 dimensions, multilingual.',
        intendedUse: 'Search over internal documents',
      },
      assertions: [{ type: 'schema', path: '/monitoring', schema: { type: 'array', minItems: 1 } }],
    },
    {
      name: 'states the fit',
      input: {
        modelName: 'med-summary-1',
        provider: 'Health Models',
        modelCardText: 'Summarises clinical notes. Evaluation results: ROUGE-L 0.41 on an internal set.',
        intendedUse: 'Summarising discharge letters for GPs',
      },
      assertions: [
        {
          type: 'schema',
          path: '/intendedUseFit',
          schema: { enum: ['unclear', 'fit', 'partial_fit', 'not_fit'] },
        },
        { type: 'contains', path: '/documented', value: 'evaluation_results' },
      ],
    },
  ],
});
