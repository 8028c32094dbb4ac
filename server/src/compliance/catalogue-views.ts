import type { ControlSummary } from '@proofpane/api';
import {
  type Control,
  type ControlFramework,
  controlByUid,
  controlCatalogue,
  curatedReason,
  findFramework,
  frameworkOfControl,
  uidPrefix,
} from '@proofpane/core';
import { apiError } from '../http/errors.js';

/** The framework a query names, or a 404 that lists the ones there are. */
export function frameworkOrThrow(key: string): ControlFramework {
  const framework = findFramework(key);
  if (!framework) {
    const known = controlCatalogue.frameworks.map((f) => f.id).join(', ');
    throw apiError(
      'compliance_framework_not_found',
      `no framework "${key}"; one of ${known} (or a uid prefix)`,
    );
  }
  return framework;
}

/** The control a route names, or a 404 saying how uids read. */
export function controlOrThrow(uid: string): Control {
  const control = controlByUid(uid);
  if (!control)
    throw apiError(
      'compliance_control_not_found',
      `no control "${uid}"; a uid is <FRAMEWORK-PREFIX>:<native id>, e.g. EU-AI-ACT:Art.12 or GDPR:Art.5`,
    );
  return control;
}

export function summaryOf(control: Control): ControlSummary {
  const why = curatedReason(control.uid);
  return {
    uid: control.uid,
    id: control.id,
    framework: frameworkOfControl(control.uid)?.id ?? uidPrefix(control.uid),
    title: control.title,
    ...(control.group ? { group: control.group } : {}),
    curated: why !== undefined,
    ...(why !== undefined ? { curatedWhy: why } : {}),
  };
}

export const frameworkPrefix = (f: ControlFramework) => (f.controls[0] ? uidPrefix(f.controls[0].uid) : f.id);
