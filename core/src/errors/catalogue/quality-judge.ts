import { errorSection } from '../entry.js';

/** The L4 judge and the triage queue (`commands/src/quality-judge`, docs/quality.md). */
export const qualityJudgeErrors = errorSection('api.md#quality-judge-and-triage', {
  quality_run_not_judgeable: {
    status: 409,
    title: 'The run is not a skill run with an accepted answer',
  },
  quality_output_unavailable: {
    status: 409,
    title: "The run's output is not held; send it with its input to have it judged",
  },
  quality_output_mismatch: {
    status: 409,
    title: 'The output or input sent is not the one the run recorded',
  },
  quality_judge_failed: {
    status: 502,
    title: 'No judge gave a valid verdict, again after one repair',
  },
  quality_budget_exhausted: {
    status: 402,
    title: "The org's quality budget for the month is spent",
  },
  quality_triage_not_found: { status: 404, title: 'No triage item with this id in the org' },
  quality_triage_resolved: { status: 409, title: 'The triage item is already resolved' },
  quality_triage_forbidden: {
    status: 403,
    title: 'Only an admin, an owner or the assignee resolves a triage item',
  },
  quality_assignee_not_member: { status: 422, title: 'The assignee is not a member of the org' },
});
