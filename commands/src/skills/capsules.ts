/** An org's own prompt for a skill, replacing its base prompt while active. */
export interface ActiveCapsule {
  id: string;
  text: string;
}

/**
 * Where the runner asks for the active capsule of (org, skill): the server passes `evolutionCapsules`
 * (`commands/src/evolution`), which reads it from the skill's evolution subject; without a source every
 * run uses the skill's base prompt and records `capsuleId: null`.
 */
export interface CapsuleSource {
  active(options: { org: string; skillId: string }): Promise<ActiveCapsule | undefined>;
}

export const noCapsules: CapsuleSource = { active: async () => undefined };
