import { demoObject } from '../providers/demo-object.js';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../workflows/graph.js';
import type { JsonSchema } from '../workflows/node-outputs.js';
import type { PatchOperation } from './patch.js';

/** What a model answers the builder: a one-line summary and the RFC 6902 patch. */
export interface GraphProposal {
  summary: string;
  patch: PatchOperation[];
}

export interface ScriptedSkills {
  ids: readonly string[];
  get(id: string): { inputSchema: JsonSchema } | undefined;
}

const DAY_SECONDS = 86_400;

const HELP =
  '[demo] The demo builder knows three requests: "add an approval step before <step>", "add skill <skill id> after <step>" and "remove <step>".';

/** A node id not yet in the graph: `base`, else `base_2`, `base_3`, … */
function freeId(graph: WorkflowGraph, base: string): string {
  const taken = new Set(graph.nodes.map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** The node the message names after `keyword` ("before review"), else the first step after the trigger. */
function namedNode(graph: WorkflowGraph, message: string, keyword: string): WorkflowNode | undefined {
  const after = message.toLowerCase().split(keyword).slice(1).join(keyword);
  const byName = graph.nodes
    .filter((n) => new RegExp(`(^|[^a-z0-9_-])${n.id.toLowerCase()}($|[^a-z0-9_-])`).test(after))
    .sort((a, b) => after.indexOf(a.id.toLowerCase()) - after.indexOf(b.id.toLowerCase()));
  if (byName[0]) return byName[0];
  const trigger = graph.nodes.find((n) => n.type === 'trigger');
  const first = graph.edges.find((e) => e.from === trigger?.id);
  return graph.nodes.find((n) => n.id === first?.to);
}

function approvalBefore(graph: WorkflowGraph, message: string): GraphProposal | undefined {
  const target = namedNode(graph, message, 'before');
  if (!target || target.type === 'trigger') return undefined;
  const id = freeId(graph, 'approval');
  const node: WorkflowNode = {
    id,
    type: 'hitl',
    config: {
      summary: { step: target.id, note: `Approve before ${target.id} runs` },
      timeoutSeconds: DAY_SECONDS,
    },
  };
  const edge: WorkflowEdge = { from: id, to: target.id, when: 'approved' };
  return {
    summary: `Add an approval step (${id}) before ${target.id}`,
    patch: [
      { op: 'add', path: '/nodes/-', value: node },
      ...graph.edges.flatMap((e, i): PatchOperation[] =>
        e.to === target.id ? [{ op: 'replace', path: `/edges/${i}/to`, value: id }] : [],
      ),
      { op: 'add', path: '/edges/-', value: edge },
    ],
  };
}

function skillAfter(
  graph: WorkflowGraph,
  message: string,
  skills: ScriptedSkills,
): GraphProposal | undefined {
  const lower = message.toLowerCase();
  const skillId = [...skills.ids]
    .sort((a, b) => b.length - a.length)
    .find((s) => lower.includes(s.toLowerCase()));
  const skill = skillId ? skills.get(skillId) : undefined;
  const source = namedNode(graph, message, 'after');
  if (!skillId || !skill || !source) return undefined;
  const id = freeId(
    graph,
    skillId
      .split('.')
      .at(-1)!
      .replace(/[^A-Za-z0-9_-]/g, '_'),
  );
  // An input the skill's schema accepts, as literals: the person maps it to upstream outputs afterwards.
  const input = demoObject({ schema: skill.inputSchema as Record<string, unknown>, texts: [message] });
  const node: WorkflowNode = { id, type: 'skill', config: { skill: skillId, input } };
  return {
    summary: `Add skill ${skillId} (${id}) after ${source.id}`,
    patch: [
      { op: 'add', path: '/nodes/-', value: node },
      { op: 'add', path: '/edges/-', value: { from: source.id, to: id } },
    ],
  };
}

function removal(graph: WorkflowGraph, message: string): GraphProposal | undefined {
  const target = namedNode(graph, message, 'remove');
  if (!target) return undefined;
  const index = graph.nodes.indexOf(target);
  // Edges from the end first, so each index still points where it did.
  const edges = graph.edges
    .map((e, i) => [e, i] as const)
    .filter(([e]) => e.from === target.id || e.to === target.id)
    .reverse()
    .map(([, i]): PatchOperation => ({ op: 'remove', path: `/edges/${i}` }));
  return {
    summary: `Remove ${target.id} and its edges`,
    patch: [...edges, { op: 'remove', path: `/nodes/${index}` }],
  };
}

/**
 * The offline demo provider's proposals, the same for the same graph and message, so the AI Builder
 * runs without a model: an approval step before a named step, a skill after one, or a removal (which
 * the validator refuses when it leaves steps unreachable). Anything else answers an empty patch.
 */
export function scriptedProposal(options: {
  graph: WorkflowGraph;
  message: string;
  skills: ScriptedSkills;
}): GraphProposal {
  const { graph, message, skills } = options;
  const lower = message.toLowerCase();
  const proposal = /\bapprov/.test(lower)
    ? approvalBefore(graph, message)
    : /\bremove\b|\bdelete\b/.test(lower)
      ? removal(graph, lower.replace(/\bdelete\b/g, 'remove'))
      : /\bskill\b/.test(lower)
        ? skillAfter(graph, message, skills)
        : undefined;
  return proposal ?? { summary: HELP, patch: [] };
}
