import { controlCatalogue } from '@proofpane/core';
import {
  controlEvidencePage,
  evidenceByControl,
  evidenceBySkill,
  listOverrides,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';

/** Every compliance read-model answer for each org, to compare before and after a rebuild. */
export async function collectComplianceAnswers(options: {
  db: Kysely<unknown>;
  orgs: readonly string[];
}): Promise<Record<string, unknown>> {
  const { db } = options;
  const answers: Record<string, unknown> = {};
  for (const org of options.orgs) {
    const byControl = await evidenceByControl({ db, org });
    const timelines: Record<string, unknown> = {};
    for (const control of ['EU-AI-ACT:Art.12', 'SOC2:CC7.2']) {
      timelines[control] = await controlEvidencePage({ db, org, control, skills: [], limit: 200 });
    }
    answers[org] = {
      byControl: Object.fromEntries(
        controlCatalogue.frameworks.flatMap((f) =>
          f.controls.map((c) => [c.uid, byControl.get(c.uid) ?? null]),
        ),
      ),
      bySkill: Object.fromEntries(await evidenceBySkill({ db, org })),
      timelines,
      overrides: await listOverrides({ db, org, limit: 200 }),
    };
  }
  return answers;
}
