import crosswalkJson from './crosswalks.json' with { type: 'json' };

/** Controls of several frameworks that ask for the same thing; every member links to every other. */
export interface Crosswalk {
  id: string;
  topic: string;
  controls: readonly string[];
}

export const controlCrosswalks: readonly Crosswalk[] = crosswalkJson.crosswalks;

/** The crosswalk groups a control belongs to, each with the other controls of the group. */
export function crosswalksOf(uid: string): { id: string; topic: string; controls: string[] }[] {
  return controlCrosswalks
    .filter((c) => c.controls.includes(uid))
    .map((c) => ({ id: c.id, topic: c.topic, controls: c.controls.filter((u) => u !== uid) }));
}
