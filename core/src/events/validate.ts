import { z } from 'zod';
import { InvalidEventError, UnknownEventTypeError } from '../errors/index.js';
import type { NewEvent } from './envelope.js';

const actorSchema = z.strictObject({
  kind: z.enum(['user', 'apikey', 'device', 'agent', 'system']),
  id: z.string().min(1).max(200),
});
const metaSchema = z.record(z.string(), z.string().max(500));
const subjectSchema = z
  .string()
  .max(300)
  .regex(/^[a-z][a-z0-9-]*\/[^\s]+$/, 'subject must read "<kind>/<id>", e.g. "call/…"');

const describe = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);

/**
 * Checks a new event against the catalogue and returns it with its parsed data;
 * throws UnknownEventTypeError or InvalidEventError with every problem named.
 */
export function validateNewEvent(catalogue: Record<string, z.ZodType>, event: NewEvent): NewEvent {
  const schema = Object.hasOwn(catalogue, event.type) ? catalogue[event.type] : undefined;
  if (!schema) throw new UnknownEventTypeError(String(event.type));
  const problems: string[] = [];
  const data = schema.safeParse(event.data);
  if (!data.success) problems.push(...describe(data.error).map((p) => `data.${p}`));
  const subject = subjectSchema.safeParse(event.subject);
  if (!subject.success) problems.push(`subject: ${subject.error.issues[0]?.message}`);
  const actor = actorSchema.safeParse(event.actor);
  if (!actor.success) problems.push(...describe(actor.error).map((p) => `actor.${p}`));
  const meta = metaSchema.safeParse(event.meta ?? {});
  if (!meta.success) problems.push(...describe(meta.error).map((p) => `meta.${p}`));
  if (problems.length > 0 || !data.success) throw new InvalidEventError(String(event.type), problems);
  return {
    type: event.type,
    subject: event.subject,
    actor: event.actor,
    data: data.data,
    meta: event.meta ?? {},
  };
}
