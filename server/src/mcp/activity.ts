import { createHash } from 'node:crypto';
import { type CompiledPolicy, evaluateToolCall } from '@proofpane/commands';
import { type EventStore, newId } from '@proofpane/core';
import { type ActivityReport, argsHash, type GateRequest, type GateResponse } from '@proofpane/daemon';
import { type Kysely, sql } from 'kysely';
import type { DeviceRow } from '../devices/tables.js';

/** The longest tool name the audit events hold verbatim (the catalogue's bound). */
export const AUDITED_TOOL_NAME_MAX = 100;
const HASHED_PREFIX_MAX = 28;

/**
 * The tool name as audited: verbatim up to 100 characters; a longer one (MCP allows 128) as its first
 * characters, `…sha256:` and the SHA-256 of the whole name, exactly 100 characters, so the event still
 * identifies the tool and the gate decision is never left unaudited for its name's length.
 */
export function auditedToolName(tool: string): string {
  if (tool.length <= AUDITED_TOOL_NAME_MAX) return tool;
  let prefix = '';
  for (const char of tool) {
    if (prefix.length + char.length > HASHED_PREFIX_MAX) break;
    prefix += char;
  }
  const digest = createHash('sha256').update(tool, 'utf8').digest('hex');
  return `${prefix}${'…'.repeat(HASHED_PREFIX_MAX + 1 - prefix.length)}sha256:${digest}`;
}

const DECISION = { allow: 'allow', block: 'block', hitl: 'hitl_required' } as const;

/**
 * The cloud half of `proofpane-daemon mcp --governed`: the gate a device asks before each
 * tool call, and the activity it reports after, counted per vendor and agent scope.
 */
export function createMcpActivity(options: { db: Kysely<unknown>; store: EventStore }) {
  const { db, store } = options;
  const scopeOf = (device: DeviceRow) => device.agent ?? 'default';

  return {
    async gate(options: {
      device: DeviceRow;
      policy: { version: number; compiled: CompiledPolicy };
      request: GateRequest;
    }): Promise<GateResponse> {
      const { device, policy, request } = options;
      const callId = newId('mcpc');
      const agent = device.agent ?? undefined;
      const verdict = evaluateToolCall({
        policy: policy.compiled,
        call: { tool: request.tool, arguments: request.args, ...(agent ? { agent } : {}) },
      });
      const decision = DECISION[verdict.decision];
      await store.append({
        org: device.org,
        events: [
          {
            type: 'cp.mcp.gate.decided',
            subject: `mcp-call/${callId}`,
            actor: { kind: 'device', id: device.id },
            data: {
              callId,
              deviceId: device.id,
              vendor: request.vendor,
              tool: auditedToolName(request.tool),
              argsSha256: argsHash(request.args),
              decision,
              // Arguments a local tool executes are never rewritten: DLP on them decides, it does not mask.
              masked: false,
              policyVersion: policy.version,
              dlp: verdict.dlp,
            },
          },
        ],
      });
      return {
        decision,
        callId,
        ...(decision === 'allow' ? {} : { reason: verdict.reason }),
      };
    },

    async record({ device, report }: { device: DeviceRow; report: ActivityReport }) {
      const { time: _time, ...data } = report;
      await store.append({
        org: device.org,
        events: [
          {
            type: 'cp.mcp.activity.recorded',
            subject: `mcp-call/${report.callId ?? newId('mcpc')}`,
            actor: { kind: 'device', id: device.id },
            data: { deviceId: device.id, ...data, tool: auditedToolName(report.tool) },
          },
        ],
      });
      await sql`
        INSERT INTO mcp_activity_counts (org, vendor, agent, decision, calls, masked, failed)
        VALUES (${device.org}, ${report.vendor}, ${scopeOf(device)}, ${report.decision}, 1,
                ${report.masked ? 1 : 0}, ${report.ok || report.decision !== 'allow' ? 0 : 1})
        ON CONFLICT (org, vendor, agent, decision) DO UPDATE SET
          calls = mcp_activity_counts.calls + 1,
          masked = mcp_activity_counts.masked + EXCLUDED.masked,
          failed = mcp_activity_counts.failed + EXCLUDED.failed`.execute(db);
    },

    /** Allow / block / HITL rates and masking counts, per vendor and per agent scope. */
    async summary({ org }: { org: string }) {
      const { rows } = await sql<{
        vendor: string;
        agent: string;
        decision: string;
        calls: string;
        masked: string;
        failed: string;
      }>`
        SELECT vendor, agent, decision, calls, masked, failed FROM mcp_activity_counts WHERE org = ${org}`.execute(
        db,
      );
      const group = (key: 'vendor' | 'agent') => {
        const totals = new Map<
          string,
          { calls: number; allow: number; block: number; hitl: number; masked: number; failed: number }
        >();
        for (const row of rows) {
          const name = row[key];
          const t = totals.get(name) ?? { calls: 0, allow: 0, block: 0, hitl: 0, masked: 0, failed: 0 };
          const calls = Number(row.calls);
          t.calls += calls;
          t.masked += Number(row.masked);
          t.failed += Number(row.failed);
          if (row.decision === 'allow') t.allow += calls;
          else if (row.decision === 'block') t.block += calls;
          else t.hitl += calls;
          totals.set(name, t);
        }
        return [...totals.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, t]) => ({
            [key]: name,
            calls: t.calls,
            allowRate: t.calls ? t.allow / t.calls : 0,
            blockRate: t.calls ? t.block / t.calls : 0,
            hitlRate: t.calls ? t.hitl / t.calls : 0,
            maskedCalls: t.masked,
            failedCalls: t.failed,
          }));
      };
      return { byVendor: group('vendor'), byAgent: group('agent') };
    },
  };
}

export type McpActivity = ReturnType<typeof createMcpActivity>;
