import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { AUDITED_TOOL_NAME_MAX, auditedToolName } from './audited-tool-name.js';
import { type McpCallCommand, mcpCallDecider, mcpServerDecider } from './decide.js';
import { McpError } from './errors.js';
import type { McpCallFact, McpServerConfig, McpServerFact } from './facts.js';

const servers = deciderSpec(mcpServerDecider);
const calls = deciderSpec(mcpCallDecider);
const serverId = 'mcp_1';

const refusedWith = (code: string, status: number, detail?: string) => (error: unknown) =>
  error instanceof McpError &&
  error.code === code &&
  error.status === status &&
  (detail === undefined || error.message === detail);

const stdio: McpServerConfig = { name: 'files', transport: 'stdio', command: 'npx', args: ['files-mcp'] };
const registered: McpServerFact = {
  type: 'cp.mcp.server.registered',
  data: { serverId, name: 'files', transport: 'stdio', command: 'npx', args: ['files-mcp'] },
};
const published: McpServerFact = { type: 'cp.mcp.server.published', data: { serverId } };
const deprecated: McpServerFact = { type: 'cp.mcp.server.deprecated', data: { serverId } };

describe('registering an MCP server', () => {
  it('records the whole configuration, so the registry row can be rebuilt from the event', () => {
    servers
      .given([])
      .when({ type: 'register', serverId, config: stdio, nameTaken: false })
      .then([registered]);
    servers
      .given([])
      .when({
        type: 'register',
        serverId,
        config: { name: 'web', transport: 'http', url: 'https://mcp.example', description: 'search' },
        nameTaken: false,
      })
      .then([
        {
          type: 'cp.mcp.server.registered',
          data: {
            serverId,
            name: 'web',
            transport: 'http',
            url: 'https://mcp.example',
            description: 'search',
          },
        },
      ]);
  });

  it('refuses a name the org already uses, naming it', () => {
    servers
      .given([])
      .when({ type: 'register', serverId, config: stdio, nameTaken: true })
      .thenThrows(refusedWith('conflict', 409, 'an MCP server named "files" already exists'));
  });

  it('refuses a server id that is already taken', () => {
    servers
      .given([registered])
      .when({ type: 'register', serverId, config: stdio, nameTaken: false })
      .thenThrows(refusedWith('conflict', 409));
  });
});

describe('the registry lifecycle', () => {
  it('publishes only from draft', () => {
    servers.given([registered]).when({ type: 'publish', serverId }).then([published]);
    servers
      .given([registered, published])
      .when({ type: 'publish', serverId })
      .thenThrows(
        refusedWith('conflict', 409, 'cannot publish a server that is published; it must be draft'),
      );
    servers
      .given([registered, published, deprecated])
      .when({ type: 'publish', serverId })
      .thenThrows(
        refusedWith('conflict', 409, 'cannot publish a server that is deprecated; it must be draft'),
      );
  });

  it('deprecates only from published', () => {
    servers.given([registered, published]).when({ type: 'deprecate', serverId }).then([deprecated]);
    servers
      .given([registered])
      .when({ type: 'deprecate', serverId })
      .thenThrows(
        refusedWith('conflict', 409, 'cannot deprecate a server that is draft; it must be published'),
      );
    servers
      .given([registered, published, deprecated])
      .when({ type: 'deprecate', serverId })
      .thenThrows(refusedWith('conflict', 409));
  });

  it('refuses a step on a server the org never registered', () => {
    servers
      .given([])
      .when({ type: 'publish', serverId })
      .thenThrows(refusedWith('not_found', 404, 'no MCP server mcp_1'));
    servers.given([]).when({ type: 'deprecate', serverId }).thenThrows(refusedWith('not_found', 404));
  });
});

const gate = (decision: 'allow' | 'block' | 'hitl', tool = 'read_file'): McpCallCommand => ({
  type: 'gate',
  callId: 'mcpc_1',
  deviceId: 'dev_1',
  vendor: 'claude',
  tool,
  argsSha256: 'a'.repeat(64),
  policyVersion: 3,
  verdict: { decision, dlp: { EMAIL: 1 } },
});
const decided = (decision: 'allow' | 'block' | 'hitl_required', tool = 'read_file'): McpCallFact => ({
  type: 'cp.mcp.gate.decided',
  data: {
    callId: 'mcpc_1',
    deviceId: 'dev_1',
    vendor: 'claude',
    tool,
    argsSha256: 'a'.repeat(64),
    decision,
    masked: false,
    policyVersion: 3,
    dlp: { EMAIL: 1 },
  },
});

describe('the MCP gate', () => {
  it("records the policy's verdict under the gate's names, never as masked", () => {
    calls
      .given([])
      .when(gate('allow'))
      .then([decided('allow')]);
    calls
      .given([])
      .when(gate('block'))
      .then([decided('block')]);
    calls
      .given([])
      .when(gate('hitl'))
      .then([decided('hitl_required')]);
  });

  it('audits a tool name longer than the event holds by a prefix and its hash', () => {
    const long = `t${'x'.repeat(127)}`;
    const [fact] = mcpCallDecider.decide(gate('allow', long), mcpCallDecider.initialState());
    expect(fact).toEqual(decided('allow', auditedToolName(long)));
    expect(auditedToolName(long)).toHaveLength(AUDITED_TOOL_NAME_MAX);
    expect(auditedToolName(long)).toMatch(/^tx{27}…sha256:[0-9a-f]{64}$/);
    expect(auditedToolName(`${long}y`)).not.toBe(auditedToolName(long));
    expect(auditedToolName('x'.repeat(AUDITED_TOOL_NAME_MAX))).toBe('x'.repeat(AUDITED_TOOL_NAME_MAX));
  });

  it('gates a call once', () => {
    calls
      .given([decided('allow')])
      .when(gate('allow'))
      .thenThrows(refusedWith('conflict', 409));
  });
});

describe('MCP activity reports', () => {
  const report = {
    vendor: 'claude',
    tool: 'read_file',
    callId: 'mcpc_1',
    decision: 'allow',
    ok: true,
    argsSha256: 'a'.repeat(64),
    masked: false,
    resultBytes: 12,
    durationMs: 4,
  } as const;
  const recorded: McpCallFact = { type: 'cp.mcp.activity.recorded', data: { deviceId: 'dev_1', ...report } };
  const record: McpCallCommand = { type: 'record', callId: 'mcpc_1', deviceId: 'dev_1', report };

  it('records what the device reports, after the gate or without it, each time it reports', () => {
    calls.given([]).when(record).then([recorded]);
    calls
      .given([decided('allow')])
      .when(record)
      .then([recorded]);
    calls
      .given([decided('allow'), recorded])
      .when(record)
      .then([recorded]);
  });

  it('audits the reported tool name within the event bound', () => {
    const long = 'r'.repeat(128);
    calls
      .given([])
      .when({ ...record, report: { ...report, tool: long } })
      .then([{ ...recorded, data: { ...recorded.data, tool: auditedToolName(long) } }]);
  });
});
