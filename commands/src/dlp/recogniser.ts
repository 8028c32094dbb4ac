import type { EntityType } from './types.js';

/**
 * A regex-driven recogniser. `pattern` must be global; `validate` rejects candidates that only look
 * right; `group` names capture groups whose span is the value (the first one present wins).
 */
export interface Recogniser {
  type: EntityType;
  pattern: RegExp;
  validate?: (match: RegExpExecArray, text: string) => boolean;
  group?: number[];
}
