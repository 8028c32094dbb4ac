/** The fields every problem has: a stable code, its status, a title and what to fix. */
export interface ProblemCore {
  code: string;
  status: number;
  title: string;
  detail: string;
}

/** RFC 9457 problem details, the body of every error response. */
export type Problem = ProblemCore & {
  type: string;
  instance: string;
  requestId: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const problemType = (code: string) => `https://proofpane.dev/problems/${code}`;
