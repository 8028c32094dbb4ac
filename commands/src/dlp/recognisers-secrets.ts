import { jwtSegmentIsJson, looksRandom } from './checks.js';
import type { Recogniser } from './recogniser.js';

const B64_LINE = '[A-Za-z0-9+/=]{16,}';
// Line breaks may be real or escaped ("\\n" inside JSON strings and .env files).
const SEP = '(?:\\s|\\\\n)+';
const PEM = new RegExp(
  '-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----' +
    `(?:${SEP}[A-Za-z-]+: [^\\n\\\\]*)*` +
    `(?:${SEP}${B64_LINE}(?:${SEP}${B64_LINE})*)?` +
    `(?:${SEP}[A-Za-z0-9+/=]{1,15}(?=${SEP}-----END))?` +
    `(?:(?:${SEP})?-----END \\1-----)?`,
  'g',
);

/** PEM private keys (PKCS#1, PKCS#8, EC, OpenSSH, PGP blocks), including ones truncated before the END line. */
export const privateKey: Recogniser = {
  type: 'PRIVATE_KEY',
  pattern: PEM,
};

/** Compact JWS: three base64url segments, the first two decoding to JSON objects. */
export const jwt: Recogniser = {
  type: 'JWT',
  pattern:
    /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
  validate: (m) => {
    const [header, payload] = m[0].split('.');
    return jwtSegmentIsJson(header!) && jwtSegmentIsJson(payload!);
  },
};

const NOT_KEY_BEFORE = '(?<![A-Za-z0-9_-])';
const NOT_KEY_AFTER = '(?![A-Za-z0-9_-])';

/** Vendor API credentials with a recognisable prefix, plus AWS secret keys announced by their variable name. */
export const apiSecrets: Recogniser[] = [
  { type: 'API_SECRET', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z2-7]{16}(?![A-Z0-9])/g },
  {
    type: 'API_SECRET',
    pattern:
      /aws_?secret(?:_?access)?_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])|secret access key(?: is|:)?\s+([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: [1, 2],
  },
  {
    type: 'API_SECRET',
    pattern: new RegExp(
      `${NOT_KEY_BEFORE}sk-ant-(?:api|admin|sid)\\d{2}-[A-Za-z0-9_-]{32,}${NOT_KEY_AFTER}`,
      'g',
    ),
  },
  {
    type: 'API_SECRET',
    pattern: new RegExp(
      `${NOT_KEY_BEFORE}sk-(?:proj-|svcacct-|admin-|None-)?([A-Za-z0-9_-]{32,})${NOT_KEY_AFTER}`,
      'g',
    ),
    validate: (m) => looksRandom(m[1]!),
  },
  {
    type: 'API_SECRET',
    pattern: new RegExp(`${NOT_KEY_BEFORE}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}${NOT_KEY_AFTER}`, 'g'),
  },
  {
    type: 'API_SECRET',
    pattern: new RegExp(`${NOT_KEY_BEFORE}github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${NOT_KEY_AFTER}`, 'g'),
  },
  {
    type: 'API_SECRET',
    pattern: new RegExp(`${NOT_KEY_BEFORE}xox[bpoasr]-(?:\\d+-)+[A-Za-z0-9]{16,}${NOT_KEY_AFTER}`, 'g'),
  },
  {
    type: 'API_SECRET',
    pattern: new RegExp(`${NOT_KEY_BEFORE}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}${NOT_KEY_AFTER}`, 'g'),
    validate: (m) => /\d/.test(m[0]) && /[A-Za-z]{2}/.test(m[0].slice(8)),
  },
];
