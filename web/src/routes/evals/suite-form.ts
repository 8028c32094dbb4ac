import type { CreateCrossVendorSuiteBody, CrossVendorSeverity } from '@proofpane/api';

/** What the create form holds: text fields, parsed into the API's body on submit. */
export interface SuiteDraft {
  name: string;
  providers: string;
  judge: string;
  schedule: string;
  cases: string;
}

export const EXAMPLE_CASES = JSON.stringify(
  [
    {
      input: [
        {
          role: 'user',
          content: 'Order 1234 arrived broken after 40 days. Should we refund it? Answer as JSON.',
        },
      ],
      decisionFields: ['$.approve'],
      outputSchema: {
        type: 'object',
        required: ['approve', 'reason'],
        properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
      },
    },
    { input: [{ role: 'user', content: 'Which city is the capital of France?' }] },
  ],
  null,
  2,
);

export const blankDraft = (): SuiteDraft => ({
  name: '',
  providers: 'demo/demo\ndemo/demo-large',
  judge: '',
  schedule: '',
  cases: EXAMPLE_CASES,
});

/** `provider/model`, the model name may itself hold slashes. */
function modelRef(text: string): { provider: string; model: string } | null {
  const at = text.indexOf('/');
  if (at <= 0 || at === text.length - 1) return null;
  return { provider: text.slice(0, at), model: text.slice(at + 1) };
}

/** The body to send, or the problems a person must fix first, each named by its form field. */
export function suiteBody(
  draft: SuiteDraft,
): { body: CreateCrossVendorSuiteBody } | { problems: { field: string; message: string }[] } {
  const problems: { field: string; message: string }[] = [];
  const lines = draft.providers
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const providers = lines.map(modelRef);
  if (providers.some((p) => p === null))
    problems.push({
      field: 'providers',
      message: 'write one provider/model per line, e.g. openai/gpt-4o-mini',
    });
  else if (providers.length < 2)
    problems.push({ field: 'providers', message: 'name at least two providers' });
  const judge = draft.judge.trim() ? modelRef(draft.judge.trim()) : undefined;
  if (judge === null)
    problems.push({ field: 'judge', message: 'write the judge as provider/model, or leave it empty' });
  let cases: unknown;
  try {
    cases = JSON.parse(draft.cases);
    if (!Array.isArray(cases) || cases.length === 0)
      problems.push({ field: 'cases', message: 'must be a JSON list of cases' });
  } catch (e) {
    problems.push({ field: 'cases', message: `is not JSON: ${e instanceof Error ? e.message : String(e)}` });
  }
  if (!draft.name.trim()) problems.push({ field: 'name', message: 'give the suite a name' });
  if (problems.length > 0) return { problems };
  return {
    body: {
      name: draft.name.trim(),
      providers: providers as { provider: string; model: string }[],
      cases: cases as CreateCrossVendorSuiteBody['cases'],
      ...(judge ? { judge } : {}),
      ...(draft.schedule.trim() ? { schedule: draft.schedule.trim() } : {}),
    },
  };
}

/** The badge colour of a severity, and how a screen reader hears it. */
export const severityTone: Record<CrossVendorSeverity, string> = {
  critical: 'bad',
  warning: 'warn',
  info: 'ok',
};

export const REASON_TEXT: Record<string, string> = {
  decision_field: 'a decision field differs',
  schema: 'an answer fails the schema',
  provider_failed: 'a provider failed',
  judge_different: 'the judge found the meanings different',
  judge_failed: 'the judge could not decide',
  judge_equivalent: 'the judge found the answers equivalent',
  identical: 'the answers are identical',
  text_unjudged: 'the text differs; no judge is configured',
};
