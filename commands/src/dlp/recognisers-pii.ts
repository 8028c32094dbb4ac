import { isIP } from 'node:net';
import { isValidIBAN } from 'ibantools';
import { before, cardPrefixValid, luhnValid, ssnValid } from './checks.js';
import type { Recogniser } from './recogniser.js';

// File names such as icon@2x.png look like addresses; none of these is a top-level domain in use for mail.
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'css',
  'js',
  'ts',
  'json',
  'pdf',
]);

export const email: Recogniser = {
  type: 'EMAIL',
  pattern:
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![A-Za-z0-9-])/g,
  validate: (m) => !FILE_EXTENSIONS.has(m[1]!.toLowerCase()) && !m[0].includes('..'),
};

export const creditCard: Recogniser = {
  type: 'CREDIT_CARD',
  pattern: /(?<![\d.-])\d(?:[ -]?\d){11,18}(?![\d-]|\.\d)/g,
  validate: (m) => {
    const separators = m[0].match(/[ -]/g) ?? [];
    if (new Set(separators).size > 1) return false;
    const digits = m[0].replace(/[ -]/g, '');
    return cardPrefixValid(digits) && luhnValid(digits);
  },
};

export const iban: Recogniser = {
  type: 'IBAN',
  pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
  validate: (m) => isValidIBAN(m[0].replace(/ /g, '')),
};

const SSN_CONTEXT = /(ssn|social security|social sec|soc\.? sec|tax ?id|tin)\b[^\n]{0,12}$/;

export const usSsn: Recogniser[] = [
  {
    type: 'US_SSN',
    pattern: /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g,
    validate: (m, text) =>
      ssnValid(m[1]!, m[3]!, m[4]!) && (m[2] === '-' || SSN_CONTEXT.test(before(text, m.index))),
  },
  {
    type: 'US_SSN',
    pattern: /(?<![\d-])(\d{3})(\d{2})(\d{4})(?![\d-])/g,
    validate: (m, text) => ssnValid(m[1]!, m[2]!, m[3]!) && SSN_CONTEXT.test(before(text, m.index)),
  },
];

export const ipv4: Recogniser = {
  type: 'IP_ADDRESS',
  pattern: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d|\w)/g,
  validate: (m, text) =>
    isIP(m[0]) === 4 && !/(?:\bv|version|ver\.?|release|build)\s*$/.test(before(text, m.index, 12)),
};

export const ipv6: Recogniser = {
  type: 'IP_ADDRESS',
  pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g,
  validate: (m) => {
    const value = m[0];
    // Code such as `abc::def` is a syntactically valid address; real ones carry a digit and several groups.
    if (isIP(value) !== 6 || !/\d/.test(value)) return false;
    return value === '::1' || value.split(':').filter(Boolean).length >= 2;
  },
};
