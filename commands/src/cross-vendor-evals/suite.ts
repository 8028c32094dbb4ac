import type { EventData } from '@proofpane/core';

/** A suite as recorded on `cp.cross_vendor.suite.created`. */
export type CrossVendorSuite = EventData<'cp.cross_vendor.suite.created'>;
export type CrossVendorCase = CrossVendorSuite['cases'][number];
export type SuiteModelRef = CrossVendorSuite['providers'][number];
export type CaseMessage = Extract<CrossVendorCase['input'], readonly unknown[]>[number];

export type Severity = 'critical' | 'warning' | 'info';

export const suiteSubject = (suiteId: string) => `cross-vendor-suite/${suiteId}`;

/** The ids of a run's nodes: derived from the suite run's id, so a tree reads in order and a retry reuses them. */
export const caseRunId = (runId: string, caseIndex: number) => `${runId}.c${caseIndex + 1}`;
export const providerRunId = (runId: string, caseIndex: number, providerIndex: number) =>
  `${caseRunId(runId, caseIndex)}.p${providerIndex + 1}`;
export const judgeRunId = (runId: string, caseIndex: number, a: number, b: number) =>
  `${providerRunId(runId, caseIndex, a)}.j${b + 1}`;

export const modelLabel = (ref: SuiteModelRef) => `${ref.provider}/${ref.model}`;

/** Whether a case runs a skill on each provider rather than sending messages. */
export const isSkillCase = (
  c: CrossVendorCase,
): c is CrossVendorCase & { input: { skill: string; input: unknown } } => !Array.isArray(c.input);
