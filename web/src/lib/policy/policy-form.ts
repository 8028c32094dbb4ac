/**
 * The settings of the runtime policy most orgs change, as form fields; everything else in the
 * document (agent scopes, blocked patterns, local tools) stays as it is and is edited as JSON.
 */
export interface PolicyForm {
  /** One glob per line: `*`, `openai`, `anthropic/*`. */
  providers: string;
  models: string;
  tools: string;
  /** Empty for no limit. */
  maxTokens: string;
  media: 'allow' | 'block';
  /** Tools a person approves before they run, one glob per line. */
  hitlTools: string;
  /** Empty for the server's default. */
  hitlTimeoutSeconds: string;
}

type Doc = Record<string, unknown>;

const lines = (value: unknown) => (Array.isArray(value) ? value.map(String).join('\n') : '');
const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function readForm(doc: Doc): PolicyForm {
  const hitl = (doc.hitl ?? {}) as Doc;
  return {
    providers: lines(doc.providers ?? ['*']),
    models: lines(doc.models ?? ['*']),
    tools: lines(doc.tools ?? ['*']),
    maxTokens: typeof doc.maxTokens === 'number' ? String(doc.maxTokens) : '',
    media: doc.media === 'block' ? 'block' : 'allow',
    hitlTools: lines(hitl.tools ?? []),
    hitlTimeoutSeconds: typeof hitl.timeoutSeconds === 'number' ? String(hitl.timeoutSeconds) : '',
  };
}

/** The document with the form's values written in; a number field that is not a number is sent as typed, for the server to name. */
export function writeForm(doc: Doc, form: PolicyForm): Doc {
  const number = (text: string): number | string | undefined => {
    const t = text.trim();
    if (!t) return undefined;
    return /^\d+$/.test(t) ? Number(t) : t;
  };
  const next: Doc = {
    ...doc,
    providers: list(form.providers),
    models: list(form.models),
    tools: list(form.tools),
    media: form.media,
  };
  const maxTokens = number(form.maxTokens);
  if (maxTokens === undefined) delete next.maxTokens;
  else next.maxTokens = maxTokens;
  const hitl: Doc = { ...((doc.hitl ?? {}) as Doc), tools: list(form.hitlTools) };
  const timeout = number(form.hitlTimeoutSeconds);
  if (timeout === undefined) delete hitl.timeoutSeconds;
  else hitl.timeoutSeconds = timeout;
  next.hitl = hitl;
  return next;
}
