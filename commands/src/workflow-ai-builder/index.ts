export { builderModel } from './model.js';
export {
  applyGraphPatch,
  graphPatch,
  PATCH_LIMITS,
  type PatchOperation,
  type PatchOutcome,
  type PatchProblem,
  patchOperation,
} from './patch.js';
export { BUILDER_SYSTEM, type BuilderTurn } from './prompt.js';
export { type GraphPatchProposal, proposeGraphPatch, WorkflowPatchRejectedError } from './propose.js';
export { builderSubject, recordGraphPatchProposal } from './record.js';
export { type GraphProposal, type ScriptedSkills, scriptedProposal } from './scripted.js';
