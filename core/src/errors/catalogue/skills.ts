import { errorSection } from '../entry.js';

/**
 * Governed skills (`commands/src/skills`, docs/skills.md): an unknown skill, an input its schema refuses,
 * an answer that failed the output schema after its one repair, a run stopped by its caller. A gate's
 * refusal of the skill's call keeps the gateway's own code.
 */
export const skillErrors = errorSection('api.md#skills', {
  skill_not_found: { status: 404, title: 'No skill with this id' },
  skill_input_invalid: { status: 400, title: "The input does not match the skill's input schema" },
  skill_output_invalid: { status: 502, title: "The model's answer did not match the skill's output schema" },
  skill_cancelled: { status: 409, title: 'The skill run was cancelled' },
});
