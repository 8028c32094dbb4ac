import { externalName } from '@proofpane/core';
import type { IntegrationAccessFact, IntegrationKind } from './facts.js';

export type AccessOperation = 'query' | 'get' | 'list' | 'update' | 'modify' | 'post' | 'create';

/**
 * The audit fact of one read or write of an external system: the object type, the operation and the
 * names of the fields touched, sorted and once each; never a value (decisions/0037). A name that does
 * not look like a field name (an address, a sentence) is refused here, before it can reach the log.
 */
export function accessFact(options: {
  connectionId: string;
  kind: IntegrationKind;
  direction: 'read' | 'write';
  objectType: string;
  operation: AccessOperation;
  fields: readonly string[];
  count: number;
}): IntegrationAccessFact {
  const objectType = externalName.parse(options.objectType);
  const fields = [...new Set(options.fields.map((f) => externalName.parse(f)))].sort();
  const data = {
    connectionId: options.connectionId,
    kind: options.kind,
    objectType,
    operation: options.operation,
    fields,
    count: Math.max(0, Math.trunc(options.count)),
  };
  return options.direction === 'read'
    ? { type: 'cp.integration.read', data }
    : { type: 'cp.integration.write', data };
}
