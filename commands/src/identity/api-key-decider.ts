import { refuse } from './errors.js';
import type { Fact } from './facts.js';
import type { Requester } from './org-decider.js';
import { type ApiKeyRole, hasRole } from './roles.js';

/** One org API key, subject `api-key/<id>`. The key itself never reaches the decider: its prefix does. */
export interface ApiKeyState {
  status: 'none' | 'active' | 'revoked';
}

export type ApiKeyCommand =
  | {
      type: 'create-api-key';
      keyId: string;
      name: string;
      prefix: string;
      role: ApiKeyRole;
      agent?: string | undefined;
      by: Requester;
    }
  | { type: 'revoke-api-key'; keyId: string };

type ApiKeyFact = Extract<Fact, { type: 'cp.identity.api-key.created' | 'cp.identity.api-key.revoked' }>;

export const initialApiKeyState = (): ApiKeyState => ({ status: 'none' });

export function decideApiKey(command: ApiKeyCommand, state: ApiKeyState): ApiKeyFact[] {
  switch (command.type) {
    case 'create-api-key':
      if (state.status !== 'none') return refuse('api_key_exists');
      if (!hasRole({ role: command.by.role, required: command.role })) refuse('role_too_high');
      return [
        {
          type: 'cp.identity.api-key.created',
          data: {
            keyId: command.keyId,
            name: command.name,
            prefix: command.prefix,
            role: command.role,
            ...(command.agent ? { agent: command.agent } : {}),
          },
        },
      ];
    case 'revoke-api-key':
      if (state.status === 'none') return refuse('api_key_not_found');
      if (state.status === 'revoked') return refuse('api_key_revoked');
      return [{ type: 'cp.identity.api-key.revoked', data: { keyId: command.keyId } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown API key command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveApiKey(state: ApiKeyState, fact: Fact): ApiKeyState {
  const event = fact as ApiKeyFact;
  switch (event.type) {
    case 'cp.identity.api-key.created':
      return { status: 'active' };
    case 'cp.identity.api-key.revoked':
      return { status: 'revoked' };
    default:
      return state;
  }
}
