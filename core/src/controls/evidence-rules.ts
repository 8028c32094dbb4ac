import rulesJson from './evidence-rules.json' with { type: 'json' };

/** A test on one field of an event's `data` (a dot path); a rule's conditions must all hold. */
export interface EvidenceCondition {
  field: string;
  equals?: string | number | boolean;
  in?: readonly (string | number | boolean)[];
  /** true: the field is there (not null); false: it is absent. */
  present?: boolean;
  /** true: a non-empty object, array or string. */
  nonEmpty?: boolean;
}

/**
 * Which events evidence which controls, as data (core/src/controls/evidence-rules.json): the compliance
 * projection evaluates them over the log, so a new rule applies to the whole history on the next rebuild.
 */
export interface EvidenceRule {
  id: string;
  type: string;
  when?: readonly EvidenceCondition[];
  controls: readonly string[];
  why: string;
}

export const evidenceRules: readonly EvidenceRule[] = rulesJson.rules as readonly EvidenceRule[];

function fieldOf(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function holds(condition: EvidenceCondition, data: unknown): boolean {
  const value = fieldOf(data, condition.field);
  if (condition.equals !== undefined && value !== condition.equals) return false;
  if (condition.in !== undefined && !condition.in.includes(value as string | number | boolean)) return false;
  if (condition.present !== undefined && (value !== undefined && value !== null) !== condition.present)
    return false;
  if (condition.nonEmpty !== undefined) {
    const size =
      typeof value === 'string' || Array.isArray(value)
        ? value.length
        : value !== null && typeof value === 'object'
          ? Object.keys(value).length
          : 0;
    if (size > 0 !== condition.nonEmpty) return false;
  }
  return true;
}

const byType = new Map<string, EvidenceRule[]>();
for (const rule of evidenceRules) byType.set(rule.type, [...(byType.get(rule.type) ?? []), rule]);

/** The event types some rule reads. */
export const evidenceRuleTypes: readonly string[] = [...byType.keys()];

/** The rules an event of `type` with `data` matches, and the controls they evidence (each once). */
export function evidenceFor(event: { type: string; data: unknown }): { rules: string[]; controls: string[] } {
  const matched = (byType.get(event.type) ?? []).filter((r) =>
    (r.when ?? []).every((c) => holds(c, event.data)),
  );
  return {
    rules: matched.map((r) => r.id),
    controls: [...new Set(matched.flatMap((r) => r.controls))],
  };
}
