import { z } from 'zod';
import { cleanString } from '../http/clean-text.js';

/** What an admin registers: a stdio command or an HTTP URL, with a name unique in the org. */
export const mcpServerInput = z.discriminatedUnion('transport', [
  z.strictObject({
    name: cleanString().trim().min(1).max(100),
    transport: z.literal('stdio'),
    command: cleanString().min(1).max(500),
    args: z.array(cleanString().max(500)).max(50).default([]),
    description: cleanString().max(500).optional(),
  }),
  z.strictObject({
    name: cleanString().trim().min(1).max(100),
    transport: z.literal('http'),
    url: z.url({ protocol: /^https?$/ }),
    description: cleanString().max(500).optional(),
  }),
]);

export type McpServerInput = z.infer<typeof mcpServerInput>;
