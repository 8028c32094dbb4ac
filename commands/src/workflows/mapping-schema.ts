import { z } from 'zod';
import { isReference, MappingSyntaxError, type PathSegment, parseReference } from './mapping.js';

/** How deep a mapping may nest; a node's inputs are shallow in practice. */
export const MAX_MAPPING_DEPTH = 8;

type Issue = { path: PathSegment[]; message: string };

/**
 * The issues of a would-be mapping: a value JSON cannot carry, nesting past the bound, a reference that
 * does not parse. Iterative, so a hostile body cannot exhaust the stack before the bound is checked.
 */
export function mappingIssues(value: unknown, limit = 20): Issue[] {
  const issues: Issue[] = [];
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < limit) {
    const { value: current, path } = stack.pop()!;
    if (path.length > MAX_MAPPING_DEPTH) {
      issues.push({ path, message: `nests deeper than ${MAX_MAPPING_DEPTH} levels` });
      continue;
    }
    if (typeof current === 'string') {
      if (!isReference(current)) continue;
      try {
        parseReference(current);
      } catch (error) {
        if (!(error instanceof MappingSyntaxError)) throw error;
        issues.push({ path, message: error.message });
      }
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) issues.push({ path, message: 'must be a finite number' });
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => {
        stack.push({ value: item, path: [...path, i] });
      });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) stack.push({ value: item, path: [...path, key] });
    } else if (current !== null && typeof current !== 'boolean') {
      issues.push({ path, message: 'must be a JSON value' });
    }
  }
  return issues;
}

/** A mapping in a node's config: JSON, bounded in depth, every reference well formed. */
export const mappingSchema = () =>
  z.unknown().superRefine((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a mapping is required' });
      return;
    }
    for (const issue of mappingIssues(value)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** A mapping that must be an object (a tool's or MCP tool's arguments, a skill's input). */
export const objectMappingSchema = () =>
  z.record(z.string().max(200), z.unknown()).superRefine((value, ctx) => {
    for (const issue of mappingIssues(value)) ctx.addIssue({ code: 'custom', ...issue });
  });
