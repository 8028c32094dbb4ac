import { defineSkill } from '../../skill.js';
import { anyControlUid } from '../control-sets.js';
import { choice, integer, list, object, text } from '../schema-parts.js';

export const controlTest = defineSkill({
  id: 'audit.control_test',
  category: 'audit',
  title: 'Evaluate a control test',
  description:
    'Evaluates the results of testing a control on a sample: exceptions found, whether the control operated effectively over the period, and the recommendations.',
  version: '1.0.0',
  inputSchema: object(
    {
      controlUid: anyControlUid('The control tested, as its catalogue uid'),
      controlDescription: text('How the control is meant to work', 4_000),
      testProcedure: text('What the tester did for each sample item', 4_000),
      sample: list(
        object({ id: text('Sample item reference', 100), observation: text('What the tester found', 2_000) }),
        'The sample and the observation for each item',
        { min: 1, max: 100 },
      ),
    },
    ['controlDescription'],
  ),
  outputSchema: object({
    result: choice(
      ['not_testable', 'effective', 'partially_effective', 'ineffective'],
      'The test conclusion',
    ),
    samplesTested: integer(1, 100, 'How many sample items were tested'),
    exceptions: list(
      object({
        sampleId: text('The sample item', 100),
        description: text('How it deviates from the control', 600),
        severity: choice(['low', 'medium', 'high'], 'How serious the deviation is'),
      }),
      'Deviations found',
      { max: 100 },
    ),
    conclusion: text('The conclusion as it goes into the workpaper', 1_500),
    recommendations: list(text('A recommendation', 400), 'What to fix', { max: 10 }),
  }),
  basePrompt: `You are an auditor evaluating a control test. Compare each sample observation with the control
as described and the test procedure; record every deviation as an exception with its severity. Conclude
effective only when no exceptions were found or they are isolated and minor; partially effective when
exceptions are limited; ineffective when they are frequent or severe; not testable when the observations
cannot show operation. The number of samples tested is the number of sample items given. Write the
conclusion as it would go into a workpaper and recommend fixes.`,
  controls: ['SOC2:CC4.1', 'SOC2:CC4.2', 'NIST-AI-RMF:MEASURE 1.2', 'NIST-AI-RMF:MEASURE 1.3', 'SOC2:CC5.1'],
  allowedTools: [],
  evalCases: [
    {
      name: 'counts the sample',
      input: {
        controlUid: 'ISO42001:A.6.2.5',
        testProcedure: 'For each model release, check that an approval ticket exists before deployment.',
        sample: [
          { id: 'REL-1', observation: 'Approved two days before release.' },
          { id: 'REL-2', observation: 'Approved on release day.' },
        ],
      },
      assertions: [
        { type: 'range', path: '/samplesTested', min: 1, max: 100 },
        { type: 'schema', path: '/conclusion', schema: { type: 'string', minLength: 1 } },
      ],
    },
    {
      name: 'missing approvals make it ineffective',
      input: {
        controlUid: 'SOC2:CC8.1',
        testProcedure: 'Check change tickets for approval.',
        sample: [
          { id: 'CH-1', observation: 'No approval recorded; the control looks ineffective here.' },
          { id: 'CH-2', observation: 'No approval recorded.' },
        ],
      },
      assertions: [{ type: 'equals', path: '/result', value: 'ineffective' }],
    },
    {
      name: 'exceptions carry severities',
      input: {
        controlUid: 'NIST-AI-RMF:MANAGE 2.4',
        testProcedure: 'Trigger the kill switch in staging and observe whether calls stop.',
        sample: [{ id: 'T-1', observation: 'Calls stopped within 2 seconds.' }],
      },
      assertions: [
        {
          type: 'schema',
          path: '/exceptions',
          schema: { type: 'array', items: { type: 'object', required: ['severity'] } },
        },
      ],
    },
  ],
});
