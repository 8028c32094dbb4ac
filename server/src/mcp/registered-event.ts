import type { McpServerInput } from './server-input.js';

export interface RegisteredEventData {
  serverId: string;
  name: string;
  transport: 'stdio' | 'http';
  command?: string;
  args?: string[];
  url?: string;
  description?: string;
}

/**
 * The configuration a registration event records, keyed in the order the registry stores it; undefined
 * for an event written before the configuration was part of it.
 */
export function configOfRegistered(data: RegisteredEventData): McpServerInput | undefined {
  const description = data.description !== undefined ? { description: data.description } : {};
  if (data.transport === 'stdio') {
    if (data.command === undefined) return undefined;
    return {
      name: data.name,
      transport: 'stdio',
      command: data.command,
      args: data.args ?? [],
      ...description,
    };
  }
  if (data.url === undefined) return undefined;
  return { name: data.name, transport: 'http', url: data.url, ...description };
}
