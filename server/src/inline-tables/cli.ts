import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import type { AdminCliDeps } from '../identity/admin/cli-commands.js';
import {
  INLINE_TABLE_NAMES,
  type InlineTableName,
  isInlineTableName,
  migrateInlineTables,
  rebuildInlineTables,
  type TableRebuildReport,
} from './rebuild-tables.js';

const tableName = (value: string): InlineTableName => {
  if (!isInlineTableName(value))
    throw new InvalidArgumentError(`unknown table group "${value}"; one of ${INLINE_TABLE_NAMES.join(', ')}`);
  return value;
};

export function formatReport(report: TableRebuildReport): string {
  const rows = Object.entries(report.rows)
    .map(([table, n]) => `${table} ${n} rows`)
    .join(', ');
  const lost = Object.entries(report.unrecoverable ?? {})
    .filter(([, n]) => n > 0)
    .map(
      ([table, n]) =>
        `  ${table}: ${n} rows the events describe were not restored (a column no event holds, such as a token hash, was only in the lost row)\n`,
    )
    .join('');
  return `${report.name}: ${report.events} events read; rebuilt ${rows}\n${lost}`;
}

/** `proofpane rebuild-tables [NAME]`: the inline read models a gate reads at once, derived again from the log. */
export function registerRebuildTablesCommand(program: Command, deps: AdminCliDeps): void {
  program
    .command('rebuild-tables')
    .argument('[name]', `one table group: ${INLINE_TABLE_NAMES.join(', ')}; all when omitted`, tableName)
    .description(
      'empty the inline tables (identity, policy, devices, MCP, HITL, workflows, budget) and derive them again from the org chains, one transaction per group; secret columns (token and code hashes) are kept by id',
    )
    .action(async (name: InlineTableName | undefined) => {
      const runtime = await deps.openRuntime(loadConfig(deps.env));
      try {
        const { db } = runtime.database;
        await migrateInlineTables(db);
        await rebuildInlineTables({
          db,
          store: runtime.store,
          reservationTtlSeconds: runtime.config.reservationTtlSeconds,
          ...(name ? { names: [name] } : {}),
          onTable: (report) => deps.out(formatReport(report)),
        });
      } finally {
        await runtime.close();
      }
    });
}
