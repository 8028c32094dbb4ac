import { sha256Hex } from '@proofpane/core';

const GENES_HEADING =
  'Instructions this organisation approved for this skill, in the order it approved them:';

/**
 * A capsule's text: the base prompt, then the approved genes in approval order. The same base and genes
 * always give the same text, so the same capsule id.
 */
export const composeCapsule = (options: { basePrompt: string; genes: readonly string[] }): string =>
  options.genes.length === 0
    ? options.basePrompt
    : [options.basePrompt, '', GENES_HEADING, ...options.genes.map((g) => `- ${g}`)].join('\n');

/** A capsule's id is the SHA-256 of its text (decisions/0030): anyone holding the text can check it. */
export const capsuleIdOf = (text: string): string => sha256Hex(text);
