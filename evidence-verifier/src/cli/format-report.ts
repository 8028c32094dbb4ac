import type { VerifyReport } from '../pack/report.js';

/** The human-readable report: one line per check, the failing seq and reason, then the verdict. */
export function formatReport(file: string, report: VerifyReport): string {
  const lines = [`Evidence pack ${file}`];
  if (report.org !== undefined && report.checkpoint) {
    lines.push(
      `  org ${report.org} · ${report.eventCount} events · checkpoint of ${report.checkpoint.size} at ` +
        `${report.checkpoint.time} · key ${report.keyId}`,
    );
  }
  for (const check of report.checks) {
    const where =
      check.seq === undefined || check.message.includes(`seq ${check.seq}`) ? '' : ` (seq ${check.seq})`;
    lines.push(`  ${check.ok ? '✓' : '✗'} ${check.id.padEnd(20)} ${check.message}${where}`);
  }
  for (const warning of report.warnings) lines.push(`  ! ${warning}`);
  if (report.status === 'unusable') lines.push(`UNUSABLE: ${report.error}`);
  else if (report.status === 'unproven')
    lines.push(
      'UNPROVEN: every check passed, but no key is pinned, so the signer is unproven: anyone can ' +
        're-sign a rebuilt pack. Pin the platform key with --key or --keys.',
    );
  else
    lines.push(
      report.valid ? 'VALID' : `INVALID: ${report.checks.filter((c) => !c.ok).length} check(s) failed`,
    );
  return `${lines.join('\n')}\n`;
}
