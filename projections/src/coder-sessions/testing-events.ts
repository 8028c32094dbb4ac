import type { NewEvent } from '@proofpane/core';

type Actor = NewEvent['actor'];
const person: Actor = { kind: 'user', id: 'usr_ada' };
const loop: Actor = { kind: 'system', id: 'coder' };

/**
 * One coder session's life for rebuild specs: created (on the server's workspace, on a device, or
 * greenfield), started, a few iterations, finished, then applied or discarded (or left finished).
 */
export function coderLife(options: {
  sessionId: string;
  mode: 'repo' | 'greenfield';
  deviceId?: string;
  end?: 'applied' | 'discarded' | 'finished';
}): NewEvent[] {
  const { sessionId, mode } = options;
  const on = (type: string, data: Record<string, unknown> = {}, actor: Actor = person): NewEvent => ({
    type,
    subject: `coder/${sessionId}`,
    actor,
    data: { sessionId, ...data },
  });
  const events: NewEvent[] = [
    on('cp.coder.session.created', {
      mode,
      goal: `goal of ${sessionId}`,
      ...(mode === 'repo' ? { repo: 'app', branch: `proofpane/coder/${sessionId}` } : {}),
      ...(options.deviceId ? { deviceId: options.deviceId } : {}),
      runId: `run_${sessionId}`,
      limits: { maxIterations: 20, maxTokens: 200_000 },
    }),
    on('cp.coder.session.started'),
    ...[1, 2, 3].map((n) =>
      on(
        'cp.coder.iteration.recorded',
        {
          iteration: n,
          inputTokens: 100 * n,
          outputTokens: 7 * n,
          toolCalls: [
            { callId: `coder-${n}-0`, tool: n === 3 ? 'done' : 'write', status: 'completed' },
            ...(n === 2 ? [{ callId: 'coder-2-1', tool: 'run', status: 'failed', code: 'timeout' }] : []),
          ],
        },
        loop,
      ),
    ),
    on(
      'cp.coder.session.finished',
      { stop: 'done', summary: 'done', filesChanged: 2, diffSha256: 'd'.repeat(64) },
      loop,
    ),
  ];
  if (options.end === 'applied')
    events.push(
      on(
        'cp.coder.session.applied',
        mode === 'repo'
          ? { commit: 'c'.repeat(40) }
          : { artifactSha256: 'e'.repeat(64), artifactBytes: 1_234 },
      ),
    );
  if (options.end === 'discarded') events.push(on('cp.coder.session.discarded'));
  return events;
}
