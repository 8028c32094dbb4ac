import { type Definition, upstreamOf } from './definition';

type Schema = Record<string, unknown>;
const isRecord = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A reference a mapped input may take (docs/decisions/0018-workflow-mapping-paths.md). */
export interface MappingOption {
  path: string;
  label: string;
  /** The JSON type the producer declares, when it does. */
  valueType?: string;
}

export const CONDITION_OUTPUT: Schema = { type: 'object', properties: { result: { type: 'boolean' } } };
export const HITL_OUTPUT: Schema = {
  type: 'object',
  properties: { decision: { type: 'string' }, note: { type: 'string' } },
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** `.name` when the key is an identifier, `["key"]` otherwise, as the engine parses them. */
export const segment = (key: string) => (IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

const typeName = (schema: unknown) =>
  isRecord(schema)
    ? Array.isArray(schema.type)
      ? schema.type.join(' | ')
      : (schema.type as string | undefined)
    : undefined;

/** The whole value, then each declared property, then one level of nested object properties. */
function pathsOf(base: string, schema: Schema | undefined, label: string): MappingOption[] {
  const options: MappingOption[] = [
    { path: base, label, ...(typeName(schema) ? { valueType: typeName(schema)! } : {}) },
  ];
  const properties = schema && isRecord(schema.properties) ? schema.properties : {};
  for (const [key, child] of Object.entries(properties)) {
    const path = `${base}${segment(key)}`;
    options.push({
      path,
      label: `${label} › ${key}`,
      ...(typeName(child) ? { valueType: typeName(child)! } : {}),
    });
    if (isRecord(child) && isRecord(child.properties))
      for (const [inner, grandchild] of Object.entries(child.properties))
        options.push({
          path: `${path}${segment(inner)}`,
          label: `${label} › ${key} › ${inner}`,
          ...(typeName(grandchild) ? { valueType: typeName(grandchild)! } : {}),
        });
  }
  return options;
}

/**
 * What a node's inputs can map from: the run input (the trigger's schema) and the output of every node
 * upstream of it, by what each declares (a skill its output schema, a condition its result, a person's
 * decision); a node whose output only its run knows offers its whole output.
 */
export function mappingOptions(options: {
  definition: Definition;
  nodeId: string;
  skillOutputs: Readonly<Record<string, Schema>>;
}): MappingOption[] {
  const { definition, nodeId } = options;
  const trigger = definition.nodes.find((n) => n.type === 'trigger');
  const inputSchema =
    trigger && isRecord(trigger.config.inputSchema) ? trigger.config.inputSchema : undefined;
  const result = nodeId === trigger?.id ? [] : pathsOf('$.input', inputSchema, 'Run input');
  const byId = new Map(definition.nodes.map((n) => [n.id, n]));
  for (const id of upstreamOf(definition, nodeId)) {
    const node = byId.get(id);
    if (!node || node.type === 'trigger') continue;
    const schema =
      node.type === 'skill'
        ? options.skillOutputs[String(node.config.skill)]
        : node.type === 'condition'
          ? CONDITION_OUTPUT
          : node.type === 'hitl'
            ? HITL_OUTPUT
            : undefined;
    result.push(...pathsOf(`$.nodes.${id}.output`, schema, `${id} output`));
  }
  return result;
}
