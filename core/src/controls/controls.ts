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
