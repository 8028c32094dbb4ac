import type { SkillCatalogue, WorkflowNodeTypeInfo } from '@proofpane/api';
import { humanize } from '$lib/values/readable';

/** One thing the palette adds: a node type with a first config, and how to name the new node. */
export interface PaletteItem {
  key: string;
  label: string;
  hint: string;
  type: string;
  config: Record<string, unknown>;
  idBase: string;
}

export interface PaletteGroup {
  name: string;
  items: PaletteItem[];
}

type Schema = Record<string, unknown>;
const isRecord = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A first value a person then edits; what the schema cannot fill in the validator names on the node. */
function firstValue(schema: Schema): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    default:
      return '';
  }
}

/** The required fields of a node type's config, each at a first value. */
export function defaultConfig(configSchema: Schema): Record<string, unknown> {
  const properties = isRecord(configSchema.properties) ? configSchema.properties : {};
  const required = Array.isArray(configSchema.required) ? (configSchema.required as string[]) : [];
  const config: Record<string, unknown> = {};
  for (const name of required) {
    const property = properties[name];
    config[name] = isRecord(property) ? firstValue(property) : '';
  }
  return config;
}

/**
 * The palette: the skills by catalogue category, then every other node type the engine lists, in its
 * order. Skill nodes come from the skills; a node type the engine gains shows up here unchanged.
 */
export function paletteGroups(options: {
  catalogue: SkillCatalogue;
  nodeTypes: readonly WorkflowNodeTypeInfo[];
}): PaletteGroup[] {
  const skillType = options.nodeTypes.find((t) => t.type === 'skill');
  const groups: PaletteGroup[] = skillType
    ? options.catalogue.categories
        .filter((c) => c.skills.length > 0)
        .map((c) => ({
          name: humanize(c.category),
          items: c.skills.map((skill) => ({
            key: `skill:${skill.id}`,
            label: skill.title,
            hint: skill.description,
            type: 'skill',
            config: { ...defaultConfig(skillType.configSchema), skill: skill.id, input: {} },
            idBase: skill.id.split('.')[1] ?? skill.id,
          })),
        }))
    : [];
  const steps = options.nodeTypes
    .filter((t) => t.type !== 'skill')
    .map((t) => ({
      key: `type:${t.type}`,
      label: humanize(t.type),
      hint:
        typeof t.configSchema.description === 'string'
          ? t.configSchema.description
          : `A ${humanize(t.type).toLowerCase()} step`,
      type: t.type,
      config: defaultConfig(t.configSchema),
      idBase: t.type,
    }));
  return steps.length > 0 ? [{ name: 'Steps', items: steps }, ...groups] : groups;
}

/** Items whose label, hint or type holds every word of the filter. */
export function filterPalette(groups: readonly PaletteGroup[], filter: string): PaletteGroup[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...groups];
  return groups
    .map((g) => ({
      ...g,
      items: g.items.filter((item) => {
        const text = `${item.label} ${item.hint} ${item.type} ${item.key}`.toLowerCase();
        return words.every((w) => text.includes(w));
      }),
    }))
    .filter((g) => g.items.length > 0);
}
