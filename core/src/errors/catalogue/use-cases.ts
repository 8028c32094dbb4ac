import { errorSection } from '../entry.js';

/** AI use cases (`commands/src/use-cases`, docs/use-cases.md): intake, lifecycle, four-eyes, tier. */
export const useCaseErrors = errorSection('api.md#use-cases', {
  usecase_invalid: { status: 400, title: 'The use case breaks an intake rule' },
  usecase_reviewer_only: { status: 403, title: 'Only an admin or owner may make this move' },
  usecase_not_found: { status: 404, title: 'No use case with this id in the org' },
  usecase_exists: { status: 409, title: 'A use case with this id already exists' },
  usecase_lifecycle: { status: 409, title: "The use case's status does not allow this step" },
  usecase_four_eyes: { status: 409, title: 'The approver must not be the person who submitted the case' },
  usecase_suggestion_not_found: { status: 409, title: 'The use case has no such tier suggestion to confirm' },
});
