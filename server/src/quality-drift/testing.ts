import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, PostgresEventStore, SigningKeyring } from '@proofpane/core';
import { createTestDatabase, type TestDriver } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { identityTestEnv } from '../identity/testing/identity-test-app.js';
import type { Runtime } from '../runtime/runtime.js';

/**
 * The whole app on a database of its own whose event store reads a settable clock, so specs can lay down
 * days of skill runs; the background loops are off and specs evaluate drift with `app.qualityDrift.evaluate`.
 */
export async function createClockedApp(options: { driver: TestDriver; start: Date }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-drift-'));
  const test = await createTestDatabase(options.driver);
  const config = loadConfig({
    PROOFPANE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PROOFPANE_WORKFLOW_ENGINE: 'off',
    ...identityTestEnv,
  });
  const clock = { now: options.start };
  const store = await PostgresEventStore.open({ database: test.database, now: () => clock.now, pollMs: 50 });
  const runtime: Runtime = {
    config,
    database: test.database,
    store,
    keyring: SigningKeyring.open({ dataDir, envSeed: config.signingKeySeed }),
    close: () => store.close(),
  };
  const app: FastifyInstance = await buildApp({ runtime, logger: false });
  await app.ready();
  return {
    app,
    store,
    clock,
    dispose: async () => {
      await app.close();
      await store.close();
      await test.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const actor = { kind: 'system' as const, id: 'spec' };
const sha = 'b'.repeat(64);

/** One skill run as `runSkill` records it: accepted with a clean or flagged L3 verdict, or failed after two answers. */
export function skillRun(runId: string, skill: string, outcome: 'clean' | 'flagged' | 'failed'): NewEvent[] {
  const subject = `run/${runId}`;
  const requestId = `req_${runId}`;
  const answer: NewEvent[] =
    outcome === 'failed'
      ? [1, 2].map((attempt) => ({
          type: 'cp.skill.output.rejected',
          subject,
          actor,
          data: { attempt, requestId: `${requestId}_${attempt}`, errors: ['/covered: must be array'] },
        }))
      : [
          {
            type: 'cp.skill.output.accepted',
            subject,
            actor,
            data: { attempt: 1, requestId, outputSha256: sha },
          },
          {
            type: 'cp.quality.l3.checked',
            subject,
            actor,
            data: {
              requestId,
              attempt: 1,
              cited: ['GDPR:Art.5'],
              unknown: outcome === 'flagged' ? [{ text: 'Art. 120', framework: 'GDPR' }] : [],
              misattributed: [],
            },
          },
        ];
  return [
    { type: 'cp.run.started', subject, actor, data: { kind: 'skill', name: skill } },
    {
      type: 'cp.skill.invoked',
      subject,
      actor,
      data: {
        skillId: skill,
        skillVersion: '1.0.0',
        capsuleId: null,
        inputSha256: sha,
        provider: 'demo',
        model: 'demo',
      },
    },
    ...answer,
    {
      type: 'cp.run.completed',
      subject,
      actor,
      data:
        outcome === 'failed' ? { status: 'failed', error: 'skill_output_invalid' } : { status: 'succeeded' },
    },
  ];
}
