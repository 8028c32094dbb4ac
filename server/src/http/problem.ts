export { PROBLEM_CONTENT_TYPE, type Problem } from '@proofpane/api';

/** The fields every problem has: a stable code, its status, a title and what to fix. */
export interface ProblemCore {
  code: string;
  status: number;
  title: string;
  detail: string;
}

export const problemType = (code: string) => `https://proofpane.dev/problems/${code}`;
