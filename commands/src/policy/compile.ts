import type { EntityType } from '../dlp/types.js';
import { compileGlobs, globMatch } from './glob.js';
import type { DlpAction, PolicyDocument } from './schema.js';
import { compileUserPattern, type UserPattern } from './user-pattern.js';

/** The effective rules for one agent (or the org default), with every pattern compiled once. */
export interface CompiledScope {
  /** `default` or `agents.<name>`: the prefix of the rule names this scope reports. */
  name: string;
  allowsProvider(provider: string): boolean;
  allowsModel(provider: string, model: string): boolean;
  allowsTool(tool: string): boolean;
  /** `local`: the tool runs in the server process, where `hitl.localTools` also asks for a person. */
  toolNeedsApproval(tool: string, runtime?: 'local' | 'remote'): boolean;
  maxTokens: number | undefined;
  /** Whether images and documents may reach a provider. */
  media: 'allow' | 'block';
  dlp: ReadonlyMap<EntityType, DlpAction>;
  /** Where each rule came from (`dlp.EMAIL` or `agents.hr_agent.dlp.EMAIL`), for rulesMatched. */
  source(
    rule:
      | 'providers'
      | 'models'
      | 'tools'
      | 'maxTokens'
      | 'media'
      | 'hitlTools'
      | 'localTools'
      | `dlp.${EntityType}`,
  ): string;
}

export interface CompiledPolicy {
  document: PolicyDocument;
  scope(agent: string | undefined): CompiledScope;
  /** Run on RE2 (linear time); see user-pattern.ts. */
  blockedPatterns: readonly { name: string; regex: UserPattern }[];
  hitlTimeoutSeconds: number;
}

function modelMatcher(patterns: readonly string[]) {
  const qualified = compileGlobs(patterns.filter((p) => p.includes('/')));
  const bare = compileGlobs(patterns.filter((p) => !p.includes('/')));
  return (provider: string, model: string) =>
    globMatch(bare, model) || globMatch(qualified, `${provider}/${model}`);
}

function buildScope(doc: PolicyDocument, agent: string | undefined): CompiledScope {
  const own = agent === undefined ? undefined : doc.agents[agent];
  const prefix = own ? `agents.${agent}.` : '';
  const pick = <K extends 'providers' | 'models' | 'tools' | 'maxTokens'>(key: K) =>
    own?.[key] !== undefined ? { value: own[key], from: `${prefix}${key}` } : { value: doc[key], from: key };
  const providers = pick('providers');
  const models = pick('models');
  const tools = pick('tools');
  const maxTokens = pick('maxTokens');
  const hitlTools = own?.hitlTools ?? doc.hitl.tools;
  const providerGlob = compileGlobs(providers.value as string[]);
  const toolGlob = compileGlobs(tools.value as string[]);
  const hitlGlob = compileGlobs(hitlTools);
  const localHitlGlob = compileGlobs(doc.hitl.localTools);
  const allowsModel = modelMatcher(models.value as string[]);
  const dlp = new Map<EntityType, DlpAction>();
  const dlpSource = new Map<EntityType, string>();
  for (const [type, action] of Object.entries(doc.dlp) as [EntityType, DlpAction][]) {
    dlp.set(type, action);
    dlpSource.set(type, `dlp.${type}`);
  }
  for (const [type, action] of Object.entries(own?.dlp ?? {}) as [EntityType, DlpAction][]) {
    dlp.set(type, action);
    dlpSource.set(type, `${prefix}dlp.${type}`);
  }
  const sources: Record<string, string> = {
    providers: providers.from,
    models: models.from,
    tools: tools.from,
    maxTokens: maxTokens.from,
    media: own?.media !== undefined ? `${prefix}media` : 'media',
    hitlTools: own?.hitlTools ? `${prefix}hitlTools` : 'hitl.tools',
    localTools: 'hitl.localTools',
  };
  return {
    name: own ? `agents.${agent}` : 'default',
    allowsProvider: (p) => globMatch(providerGlob, p),
    allowsModel,
    allowsTool: (t) => globMatch(toolGlob, t),
    toolNeedsApproval: (t, runtime) =>
      globMatch(hitlGlob, t) || (runtime === 'local' && globMatch(localHitlGlob, t)),
    maxTokens: maxTokens.value as number | undefined,
    media: own?.media ?? doc.media,
    dlp,
    source: (rule) =>
      rule.startsWith('dlp.') ? (dlpSource.get(rule.slice(4) as EntityType) ?? rule) : sources[rule]!,
  };
}

/** Compiles a validated document once (globs, regexes, per-agent scopes) so that each evaluation is cheap. */
export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const base = buildScope(document, undefined);
  const agents = new Map(Object.keys(document.agents).map((a) => [a, buildScope(document, a)]));
  return {
    document,
    scope: (agent) => (agent === undefined ? base : (agents.get(agent) ?? base)),
    blockedPatterns: document.blockedPatterns.map((p) => ({
      name: p.name,
      regex: compileUserPattern(p.pattern, p.flags),
    })),
    hitlTimeoutSeconds: document.hitl.timeoutSeconds,
  };
}
