import { type CompiledPolicy, gateMcpCall, recordMcpActivity } from '@proofpane/commands';
import { type EventStore, newId } from '@proofpane/core';
import { type ActivityReport, argsHash, type GateRequest, type GateResponse } from '@proofpane/daemon';
import { type Kysely, sql } from 'kysely';
import type { DeviceRow } from '../devices/tables.js';

/**
 * The cloud half of `proofpane-daemon mcp --governed`: the gate a device asks before each
 * tool call, and the activity it reports after, counted per vendor and agent scope.
 */
export function createMcpActivity(options: { db: Kysely<unknown>; store: EventStore }) {
  const { db, store } = options;
  const scopeOf = (device: DeviceRow) => device.agent ?? 'default';

  return {
    gate(options: {
      device: DeviceRow;
      policy: { version: number; compiled: CompiledPolicy };
      request: GateRequest;
    }): Promise<GateResponse> {
      const { device, request } = options;
      return gateMcpCall({
        store,
        org: device.org,
        callId: newId('mcpc'),
        device,
        vendor: request.vendor,
        tool: request.tool,
        args: request.args,
        argsSha256: argsHash(request.args),
        policy: options.policy,
      });
    },

    /** The report's event and its count commit together, so the counts can be rebuilt from the events. */
    async record({ device, report }: { device: DeviceRow; report: ActivityReport }) {
      const { time: _time, ...data } = report;
      await recordMcpActivity({
        store,
        org: device.org,
        command: {
          type: 'record',
          callId: report.callId ?? newId('mcpc'),
          deviceId: device.id,
          report: data,
        },
        inline: async (trx) => {
          await sql`
            INSERT INTO mcp_activity_counts (org, vendor, agent, decision, calls, masked, failed)
            VALUES (${device.org}, ${report.vendor}, ${scopeOf(device)}, ${report.decision}, 1,
                    ${report.masked ? 1 : 0}, ${report.ok || report.decision !== 'allow' ? 0 : 1})
            ON CONFLICT (org, vendor, agent, decision) DO UPDATE SET
              calls = mcp_activity_counts.calls + 1,
              masked = mcp_activity_counts.masked + EXCLUDED.masked,
              failed = mcp_activity_counts.failed + EXCLUDED.failed`.execute(trx);
        },
      });
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
