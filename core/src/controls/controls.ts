import catalogueJson from './controls.json' with { type: 'json' };

/** One control of a framework; `uid` (`<FRAMEWORK-PREFIX>:<native id>`) is unique across frameworks. */
export interface Control {
  id: string;
  uid: string;
  title: string;
  group?: string;
  function?: string;
}

export interface ControlFramework {
  id: string;
  name: string;
  version: string;
  idFormat: string;
  /** Where the identifiers were taken from; titles are short paraphrases. */
  sources: readonly string[];
  notes?: string;
  count: number;
  controls: readonly Control[];
}

/**
 * The closed set of control identifiers (NIST AI RMF 1.0, ISO/IEC 42001:2023 Annex A, EU AI Act,
 * GDPR, SOC 2 TSC 2017), shipped as versioned data. Skills name the controls they evidence by `uid`;
 * a uid a model cites that is not here, for its framework, is a hallucination.
 */
export interface ControlCatalogue {
  schema: string;
  generated: string;
  description: string;
  uidFormat: string;
  total: number;
  frameworks: readonly ControlFramework[];
  curatedSuggestion: { count: number; controls: readonly { uid: string; why: string }[] };
}

export const controlCatalogue: ControlCatalogue = catalogueJson;

const byUid = new Map(controlCatalogue.frameworks.flatMap((f) => f.controls.map((c) => [c.uid, c])));

export const controlByUid = (uid: string): Control | undefined => byUid.get(uid);
export const isControlUid = (uid: string): boolean => byUid.has(uid);

/**
 * The version of the shipped catalogue, surfaced by the compliance API: the source's generation date and
 * a revision of ours. A spec pins the data's SHA-256 to it, so the data cannot change without a new version.
 */
export const CONTROL_CATALOGUE_VERSION = `${controlCatalogue.generated}.1`;

/** The uid prefix of a framework's controls (`EU-AI-ACT` in `EU-AI-ACT:Art.9`); GDPR Art. 9 is `GDPR:Art.9`. */
export const uidPrefix = (uid: string): string => uid.slice(0, uid.indexOf(':'));

const frameworkOfUid = new Map(
  controlCatalogue.frameworks.flatMap((f) => f.controls.map((c) => [c.uid, f] as const)),
);

/** The framework a control uid belongs to. */
export const frameworkOfControl = (uid: string): ControlFramework | undefined => frameworkOfUid.get(uid);

/** A framework by its id (`gdpr-2016-679`) or by its uid prefix (`GDPR`, any case). */
export function findFramework(key: string): ControlFramework | undefined {
  const lower = key.toLowerCase();
  return controlCatalogue.frameworks.find(
    (f) =>
      f.id === lower || (f.controls[0] !== undefined && uidPrefix(f.controls[0].uid).toLowerCase() === lower),
  );
}

const curated = new Map(controlCatalogue.curatedSuggestion.controls.map((c) => [c.uid, c.why]));

/** Why a control is among the curated ones for governing LLM calls and tool use; undefined otherwise. */
export const curatedReason = (uid: string): string | undefined => curated.get(uid);
