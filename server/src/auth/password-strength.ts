import { type TranslationKeys, zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * zxcvbn's score runs 0–4; 3 means "safely unguessable: moderate protection from an offline
 * slow-hash scenario" (about 10^8 guesses or more), the level NIST SP 800-63B asks for by way of a
 * blocklist of common, expected or compromised values. docs/decisions/0012-password-strength-zxcvbn.md.
 */
export const MIN_PASSWORD_SCORE = 3;

/**
 * The English texts of zxcvbn-ts's feedback keys (`@zxcvbn-ts/language-en` 3.x): without a
 * translation table the library answers with bare keys such as `topTen`, which tell no one what to fix.
 */
const english: TranslationKeys = {
  warnings: {
    straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common character sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is a heavily used password.',
    topHundred: 'This is a frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'It should not contain your email address or organisation name.',
    pwned: 'This password was exposed by a data breach on the Internet.',
  },
  suggestions: {
    l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalize some, but not all letters.',
    capitalization: 'Capitalize more than the first letter.',
    dates: 'Avoid dates and years that are associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years that are associated with you.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use multiple words, but avoid common phrases.',
    noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
    pwned: 'If you use this password elsewhere, you should change it.',
  },
  timeEstimation: {
    ltSecond: 'less than a second',
    second: '{base} second',
    seconds: '{base} seconds',
    minute: '{base} minute',
    minutes: '{base} minutes',
    hour: '{base} hour',
    hours: '{base} hours',
    day: '{base} day',
    days: '{base} days',
    month: '{base} month',
    months: '{base} months',
    year: '{base} year',
    years: '{base} years',
    centuries: 'centuries',
  },
};

/**
 * Matching is synchronous and grows steeply with length (a 256-character repeat pattern takes most of a
 * second on the event loop). Appending characters never makes a password easier to guess, so a strong
 * prefix vouches for the whole; a weak prefix is refused even if the rest would have helped.
 */
const SCORED_PREFIX = 100;

let configured = false;

/** Ranking the dictionaries takes ~100 ms, so it happens on the first password set, not at import. */
function configure(): void {
  if (configured) return;
  zxcvbnOptions.setOptions({
    dictionary,
    graphs: adjacencyGraphs,
    translations: english,
  });
  configured = true;
}

/** The email, its local part and domain labels, the org name and its words: what a guesser would try first. */
function guessableInputs(inputs: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const input of inputs) {
    if (!input) continue;
    const lower = input.normalize('NFKC').toLowerCase().trim();
    out.add(lower);
    for (const piece of lower.split(/[^\p{L}\p{N}]+/u)) if (piece.length >= 3) out.add(piece);
  }
  return [...out];
}

/**
 * Undefined when the password is strong enough; otherwise what to change, in zxcvbn's words.
 * `userInputs` are the account's email and org name, so a password built from them scores low.
 */
export function passwordWeakness(options: {
  password: string;
  userInputs?: readonly (string | undefined)[];
}): string | undefined {
  configure();
  // Scored as hashed: passwords.ts derives from the NFKC form.
  const scored = options.password.normalize('NFKC').slice(0, SCORED_PREFIX);
  const result = zxcvbn(scored, guessableInputs(options.userInputs ?? []));
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const { warning, suggestions } = result.feedback;
  const advice = suggestions.length > 0 ? suggestions : [english.suggestions.anotherWord];
  return [warning ?? 'This password is too easy to guess.', ...advice].join(' ');
}
