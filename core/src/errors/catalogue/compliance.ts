import { errorSection } from '../entry.js';

/** Compliance frameworks (`commands/src/compliance`, docs/compliance.md): catalogue, mappings, evidence. */
export const complianceErrors = errorSection('api.md#compliance', {
  compliance_framework_not_found: { status: 404, title: 'No framework with this id in the catalogue' },
  compliance_control_not_found: { status: 404, title: 'No control with this uid in the catalogue' },
  compliance_override_not_found: { status: 404, title: 'No mapping override with this id in the org' },
  compliance_override_invalid: {
    status: 400,
    title: 'The mapping override names an unknown skill or control',
  },
  compliance_override_decided: {
    status: 409,
    title: 'The mapping override was already approved or rejected',
  },
  compliance_four_eyes: { status: 403, title: 'A second person must approve this override' },
  compliance_pack_too_large: { status: 400, title: 'Too many evidence events for one pack' },
});
