/** How an actor kind reads in a sentence ("API key billing-bot"). */
export const ACTOR_KIND_LABEL: Record<string, string> = {
  user: 'user',
  apikey: 'API key',
  device: 'device',
  agent: 'agent',
  system: 'system',
};

/** What a subject's kind is called (`call/…` is a governed call). */
const SUBJECT_KIND_LABEL: Record<string, string> = {
  call: 'call',
  run: 'run',
  hitl: 'approval',
  gene: 'gene',
  member: 'member',
  org: 'org',
  'api-key': 'API key',
  invitation: 'invitation',
  device: 'device',
  budget: 'budget',
  policy: 'policy',
  workflow: 'workflow',
  usecase: 'use case',
};

export interface ReadableName {
  /** What people read: an email, a key's name, or the id itself when nothing names it. */
  text: string;
  /** The kind, as a word ("API key", "call"). */
  kind: string;
  /** The raw id, kept for a tooltip and for filters. */
  id: string;
  named: boolean;
}

/** An actor as people read it: `usr_…` becomes its email, `key_…` its name. */
export function actorName(actor: { kind: string; id: string }, names: Record<string, string>): ReadableName {
  const name = names[actor.id];
  return {
    text: name ?? actor.id,
    kind: ACTOR_KIND_LABEL[actor.kind] ?? actor.kind,
    id: actor.id,
    named: name !== undefined,
  };
}

/** A subject `kind/id`, its id named when the server knows it and long ids shortened. */
export function subjectName(subject: string, names: Record<string, string>): ReadableName {
  const slash = subject.indexOf('/');
  const rawKind = slash < 0 ? '' : subject.slice(0, slash);
  const rest = slash < 0 ? subject : subject.slice(slash + 1);
  const last = rest.slice(rest.lastIndexOf('/') + 1);
  const name = names[last];
  const kind = SUBJECT_KIND_LABEL[rawKind] ?? rawKind;
  const short = rest.length > 18 ? `${rest.slice(0, 8)}…${rest.slice(-6)}` : rest;
  return { text: name ?? short, kind, id: subject, named: name !== undefined };
}
