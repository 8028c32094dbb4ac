import type { ControlDetail, CoverageReport, CoverageStatus, MappingList } from '@proofpane/api';
import { effectiveMapping, handleOverrideCommand, type SkillControlPair } from '@proofpane/commands';
import {
  type Actor,
  CONTROL_CATALOGUE_VERSION,
  controlByUid,
  crosswalksOf,
  type EventStore,
  evidenceRules,
  frameworkOfControl,
  newId,
} from '@proofpane/core';
import {
  approvedOverrides,
  controlEvidencePage,
  controlEvidenceSeqs,
  type EvidenceTally,
  evidenceByControl,
  evidenceBySkill,
  findOverride,
  listOverrides,
  type OverrideRow,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';
import { apiError } from '../http/errors.js';
import { controlOrThrow, frameworkOrThrow, summaryOf } from './catalogue-views.js';

const ruleControls = new Set(evidenceRules.flatMap((r) => r.controls));

/** The skills mapped to each control now, from the shipped pairs and the org's approved overrides. */
async function mappingOf(db: Kysely<unknown>, org: string) {
  const pairs = effectiveMapping(await approvedOverrides({ db, org }));
  const skillsOf = new Map<string, string[]>();
  for (const p of pairs) skillsOf.set(p.control, [...(skillsOf.get(p.control) ?? []), p.skill]);
  return { pairs, skillsOf };
}

/** Rule evidence plus the accepted runs of the skills mapped to the control. */
function combine(
  rule: EvidenceTally | undefined,
  skills: readonly string[],
  bySkill: Map<string, EvidenceTally>,
) {
  const tallies = [rule, ...skills.map((s) => bySkill.get(s))].filter(
    (t): t is EvidenceTally => t !== undefined,
  );
  const lastAt = tallies
    .map((t) => t.lastAt)
    .reduce<string | null>((a, b) => (a === null || (b && b > a) ? b : a), null);
  return {
    count: tallies.reduce((n, t) => n + t.count, 0),
    lastAt,
    useCases: [...new Set(tallies.flatMap((t) => t.useCases))].sort().slice(0, 20),
  };
}

const statusOf = (count: number, mapped: boolean): CoverageStatus =>
  count > 0 ? 'evidenced' : mapped ? 'mapped_without_evidence' : 'not_mapped';

/** What the compliance routes do: reads of the projection and the catalogue, override commands. */
export function createComplianceService(options: { db: Kysely<unknown>; store: EventStore }) {
  const { db, store } = options;

  async function coverage(org: string, frameworkKey: string): Promise<CoverageReport> {
    const framework = frameworkOrThrow(frameworkKey);
    const [{ skillsOf }, byControl, bySkill] = await Promise.all([
      mappingOf(db, org),
      evidenceByControl({ db, org, controls: framework.controls.map((c) => c.uid) }),
      evidenceBySkill({ db, org }),
    ]);
    const controls = framework.controls.map((c) => {
      const skills = skillsOf.get(c.uid) ?? [];
      const tally = combine(byControl.get(c.uid), skills, bySkill);
      const { curated } = summaryOf(c);
      const status = statusOf(tally.count, skills.length > 0 || ruleControls.has(c.uid));
      return {
        uid: c.uid,
        id: c.id,
        title: c.title,
        curated,
        ...((c.function ?? c.group) ? { group: c.function ?? c.group } : {}),
        status,
        ...tally,
        skills,
      };
    });
    const totals = { evidenced: 0, mappedWithoutEvidence: 0, notMapped: 0 };
    for (const c of controls) {
      if (c.status === 'evidenced') totals.evidenced++;
      else if (c.status === 'mapped_without_evidence') totals.mappedWithoutEvidence++;
      else totals.notMapped++;
    }
    return { framework: framework.id, catalogueVersion: CONTROL_CATALOGUE_VERSION, totals, controls };
  }

  async function detail(org: string, uid: string): Promise<ControlDetail> {
    const control = controlOrThrow(uid);
    const [{ skillsOf }, byControl, bySkill] = await Promise.all([
      mappingOf(db, org),
      evidenceByControl({ db, org, controls: [uid] }),
      evidenceBySkill({ db, org }),
    ]);
    const skills = skillsOf.get(uid) ?? [];
    const tally = combine(byControl.get(uid), skills, bySkill);
    return {
      ...summaryOf(control),
      catalogueVersion: CONTROL_CATALOGUE_VERSION,
      crosswalks: crosswalksOf(uid).map((g) => ({
        id: g.id,
        topic: g.topic,
        controls: g.controls.map((u) => ({
          uid: u,
          title: controlByUid(u)?.title ?? u,
          framework: frameworkOfControl(u)?.id ?? '',
        })),
      })),
      rules: evidenceRules
        .filter((r) => r.controls.includes(uid))
        .map((r) => ({ id: r.id, type: r.type, why: r.why })),
      coverage: {
        status: statusOf(tally.count, skills.length > 0 || ruleControls.has(uid)),
        ...tally,
        skills,
      },
    };
  }

  async function evidence(options: {
    org: string;
    uid: string;
    from?: string | undefined;
    to?: string | undefined;
    before?: number | undefined;
    limit: number;
  }) {
    controlOrThrow(options.uid);
    const { skillsOf } = await mappingOf(db, options.org);
    const page = await controlEvidencePage({
      db,
      org: options.org,
      control: options.uid,
      skills: skillsOf.get(options.uid) ?? [],
      limit: options.limit,
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
      ...(options.before !== undefined ? { before: options.before } : {}),
    });
    return { control: options.uid, ...page };
  }

  /** The seqs of the events evidencing a control in the window; refused beyond `max`. */
  async function evidenceSeqs(options: {
    org: string;
    uid: string;
    from?: string;
    to?: string;
    max: number;
  }) {
    controlOrThrow(options.uid);
    const { skillsOf } = await mappingOf(db, options.org);
    const seqs = await controlEvidenceSeqs({
      db,
      org: options.org,
      control: options.uid,
      skills: skillsOf.get(options.uid) ?? [],
      max: options.max,
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
    if (seqs.length > options.max)
      throw apiError(
        'compliance_pack_too_large',
        `more than ${options.max} events evidence ${options.uid} in this range; narrow it with from and to`,
      );
    return seqs;
  }

  async function mappings(options: {
    org: string;
    skill?: string | undefined;
    control?: string | undefined;
    after?: number | undefined;
    limit: number;
  }): Promise<MappingList> {
    const { pairs } = await mappingOf(db, options.org);
    const shipped = new Set(effectiveMapping([]).map((p: SkillControlPair) => `${p.skill}\n${p.control}`));
    const matching = pairs.filter(
      (p) =>
        (!options.skill || p.skill === options.skill) && (!options.control || p.control === options.control),
    );
    const start = options.after ?? 0;
    const page = matching.slice(start, start + options.limit);
    return {
      mappings: page.map((p) => ({
        ...p,
        source: shipped.has(`${p.skill}\n${p.control}`) ? ('shipped' as const) : ('override' as const),
      })),
      next: start + options.limit < matching.length ? start + options.limit : null,
    };
  }

  async function readOverride(org: string, id: string): Promise<OverrideRow> {
    const row = await findOverride({ db, org, id });
    if (!row) throw apiError('compliance_override_not_found', `no override ${id} in this org`);
    return row;
  }

  return {
    coverage,
    detail,
    evidence,
    evidenceSeqs,
    mappings,
    listOverrides: (o: Parameters<typeof listOverrides>[0] extends infer P ? Omit<P, 'db'> : never) =>
      listOverrides({ db, ...o }),
    readOverride,
    /** Appends the proposal; the answer comes from the events, as the read model may lag a moment. */
    async propose(o: {
      org: string;
      actor: Actor;
      skill: string;
      control: string;
      action: 'add' | 'remove';
      reason: string;
    }): Promise<OverrideRow> {
      const overrideId = newId('ovr');
      const [event] = await handleOverrideCommand({
        store,
        org: o.org,
        actor: o.actor,
        command: { type: 'propose', overrideId, ...o, by: o.actor },
      });
      return {
        id: overrideId,
        skill: o.skill,
        control: o.control,
        action: o.action,
        reason: o.reason,
        status: 'pending',
        proposedBy: o.actor.id,
        proposedAt: event!.time,
        decidedBy: null,
        decidedAt: null,
        note: null,
      };
    },
    async decide(o: {
      org: string;
      actor: Actor;
      id: string;
      decision: 'approve' | 'reject';
      note?: string | undefined;
    }): Promise<OverrideRow> {
      const events = await store.readSubject({ org: o.org, subject: `compliance-override/${o.id}` });
      const proposal = events.find((e) => e.type === 'cp.compliance.mapping.proposed');
      if (!proposal) throw apiError('compliance_override_not_found', `no override ${o.id} in this org`);
      const [event] = await handleOverrideCommand({
        store,
        org: o.org,
        actor: o.actor,
        command: { type: o.decision, overrideId: o.id, by: o.actor, ...(o.note ? { note: o.note } : {}) },
      });
      const d = proposal.data as {
        skill: string;
        control: string;
        action: 'add' | 'remove';
        reason: string;
        proposedBy: string;
      };
      return {
        id: o.id,
        skill: d.skill,
        control: d.control,
        action: d.action,
        reason: d.reason,
        status: o.decision === 'approve' ? 'approved' : 'rejected',
        proposedBy: d.proposedBy,
        proposedAt: proposal.time,
        decidedBy: o.actor.id,
        decidedAt: event!.time,
        note: o.note ?? null,
      };
    },
  };
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
