/**
 * The validators' messages (zod on the server's routes, JSON Schema on skill inputs) rewritten for
 * the people filling the form: `Too small: expected string to have >=1 characters` becomes
 * `is required`. A message no rule knows is kept, with a lower-case start so it reads after a label.
 */
const RULES: readonly [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Too small: expected string to have >=1 characters?$/, () => 'is required'],
  [/^Too small: expected string to have >=(\d+) characters?$/, (m) => `needs at least ${m[1]} characters`],
  [/^Too big: expected string to have <=(\d+) characters?$/, (m) => `can be at most ${m[1]} characters long`],
  [
    /^Too (?:small|big): expected string to have exactly (\d+) characters?$/,
    (m) => `must be exactly ${m[1]} characters long`,
  ],
  [/^Too small: expected array to have >=1 items?$/, () => 'needs at least one entry'],
  [/^Too small: expected array to have >=(\d+) items?$/, (m) => `needs at least ${m[1]} entries`],
  [/^Too big: expected array to have <=(\d+) items?$/, (m) => `can have at most ${m[1]} entries`],
  [/^Too small: expected (?:number|int|bigint) to be >=?(-?[\d.]+)$/, (m) => `must be at least ${m[1]}`],
  [/^Too big: expected (?:number|int|bigint) to be <=?(-?[\d.]+)$/, (m) => `can be at most ${m[1]}`],
  [/^Invalid input: expected \w+, received (?:undefined|null)$/, () => 'is required'],
  [/^Invalid input: expected int, received number$/, () => 'must be a whole number'],
  [
    /^Invalid input: expected (number|string|boolean|array|object), received \w+$/,
    (m) => `must be ${article(m[1] ?? '')}`,
  ],
  [/^Invalid input: expected "([^"]*)"$/, (m) => `must be "${m[1]}"`],
  [
    /^Invalid option: expected one of (.+)$/,
    (m) => `must be one of ${(m[1] ?? '').replaceAll('"', '').split('|').join(', ')}`,
  ],
  [/^Invalid email address$/, () => 'must be an email address'],
  [/^Invalid URL$/, () => 'must be a web address (https://…)'],
  [/^Invalid string: must match pattern .*$/, () => 'is not in the expected format'],
  [
    /^Unrecognized keys?: (.+)$/,
    (m) => `has fields this form does not send: ${(m[1] ?? '').replaceAll('"', '')}`,
  ],
  // JSON Schema (Ajv) wording, from skill and workflow inputs.
  [/^must have required property '([^']+)'$/, (m) => `needs ${m[1]}`],
  [/^must NOT have more than (\d+) characters$/, (m) => `can be at most ${m[1]} characters long`],
  [/^must NOT have fewer than 1 characters$/, () => 'is required'],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `needs at least ${m[1]} characters`],
  [/^must NOT have additional properties$/, () => 'has a field this form does not send'],
];

const article = (type: string) =>
  ({
    number: 'a number',
    string: 'text',
    boolean: 'yes or no',
    array: 'a list',
    object: 'a group of fields',
  })[type] ?? type;

export function readableMessage(message: string): string {
  const text = message.trim();
  for (const [pattern, write] of RULES) {
    const match = text.match(pattern);
    if (match) return write(match);
  }
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const words = (segment: string) =>
  segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

/**
 * `body.orgName` → `Org name`; `body.cases.0.decisionFields.1` → `Cases #1 › decision fields #2`. A
 * form passes its own labels, by whole path or by segment, for the fields it shows.
 */
export function fieldLabel(field: string, labels: Readonly<Record<string, string>> = {}): string {
  const path = field.replace(/^(body|query|params|headers)(\.|$)/, '');
  if (!path) return 'The request';
  if (labels[path]) return labels[path];
  const parts: string[] = [];
  for (const segment of path.split('.')) {
    if (/^\d+$/.test(segment) && parts.length > 0) parts[parts.length - 1] += ` #${Number(segment) + 1}`;
    else parts.push(labels[segment] ?? words(segment));
  }
  const text = parts.join(' › ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A sentence: capital first letter, closing full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** Field paths a server detail names (`body.email`, `query.limit`) replaced by their labels. */
export function withoutPaths(detail: string, labels: Readonly<Record<string, string>> = {}): string {
  return detail.replace(/\b(?:body|query|params)(?:\.[\w-]+)+/g, (path) => fieldLabel(path, labels));
}
