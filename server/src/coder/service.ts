import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CoderSession } from '@proofpane/api';
import {
  activeCapsule,
  type CoderCommand,
  CoderError,
  type CoderState,
  type CompiledPolicy,
  coderBranch,
  coderDecider,
  coderSubject,
  evolutionModel,
  foldSubject,
  type Gateway,
  handleCommand,
  META_CODER,
  runCoderLoop,
} from '@proofpane/commands';
import { type Actor, type EventStore, newId } from '@proofpane/core';
import { listCoderSessions, untilCoderSessionsProjected } from '@proofpane/projections';
import type { Kysely } from 'kysely';
import { create as createTar } from 'tar';
import type { DeviceHub } from '../devices/hub.js';
import type { DeviceService } from '../devices/store.js';
import type { HitlService } from '../hitl/service.js';
import { ActiveSessionLimit, activeSessions, applyCoderGate } from './active-gate.js';
import { checkDevice, deviceSession } from './device-trees.js';
import { coderRunner } from './docker-runner.js';
import { sessionTools } from './tool-runtime.js';
import type { CoderTrees, SessionTree } from './trees.js';

export interface CoderLimits {
  maxIterations: number;
  maxTokens: number;
  maxActive: number;
  runTimeoutMs: number;
  model: string | undefined;
}

export interface CoderServiceDeps {
  db: Kysely<unknown>;
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  hitl: HitlService;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
  trees: CoderTrees;
  /** Paired devices, for sessions whose repository is on one (`repo: {deviceId, path}`). */
  devices: { hub: DeviceHub; service: DeviceService; timeoutMs: number };
  limits: CoderLimits;
  onError(error: unknown): void;
}

/**
 * Repo Coder and Greenfield sessions as the routes use them. Creating a session makes its tree and records
 * it, awaiting a run; only `run` starts the loop, in the background, and `settled` lets a caller (a spec,
 * the CLI) await it. Apply and discard are the person's recorded decisions; discard removes the tree (and,
 * in repo mode, the branch).
 */
export function createCoderService(deps: CoderServiceDeps) {
  const { store, db, trees, limits } = deps;
  const inFlight = new Map<string, Promise<void>>();

  const fold = async (org: string, sessionId: string) => {
    const folded = await foldSubject({ store, org, subject: coderSubject(sessionId), decider: coderDecider });
    if (folded.state.status === 'none')
      throw new CoderError('coder_session_not_found', `no coder session ${sessionId} in this org`);
    return folded.state;
  };
  const command = (org: string, sessionId: string, actor: Actor, cmd: CoderCommand, runId: string) =>
    handleCommand({
      store,
      org,
      subject: coderSubject(sessionId),
      decider: coderDecider,
      command: cmd,
      actor,
      meta: { runId },
      inline: (trx, appended) => applyCoderGate(trx, appended),
    });
  const treeOf = (org: string, session: NonNullable<CoderState['session']>): SessionTree => ({
    mode: session.mode,
    org,
    sessionId: session.sessionId,
    repo: session.repo,
  });
  const onDevice = (org: string, actor: Actor, session: NonNullable<CoderState['session']>) =>
    deviceSession({
      store,
      policies: deps.policies,
      hitl: deps.hitl,
      org,
      actor,
      hub: deps.devices.hub,
      deviceId: session.deviceId!,
      sessionId: session.sessionId,
      repo: session.repo!,
      runId: session.runId,
      timeoutMs: deps.devices.timeoutMs,
    });
  /** A device session's diff as last read from the device (at the loop's end, or once on view). */
  const deviceDiffs = new Map<string, Awaited<ReturnType<CoderTrees['diff']>>>();
  const diffOf = async (org: string, actor: Actor, session: NonNullable<CoderState['session']>) => {
    if (!session.deviceId) return trees.diff(treeOf(org, session));
    const diff = await onDevice(org, actor, session).diff();
    deviceDiffs.set(session.sessionId, diff);
    return diff;
  };
  /** Nothing runs unconfined: without bubblewrap (and no Docker engine), no session is made or run. */
  const requireSandbox = async () => {
    if ((await coderRunner()) === null)
      throw new CoderError(
        'coder_sandbox_unavailable',
        'bubblewrap cannot build a sandbox here and no Docker daemon answers; install bubblewrap (apt-get install bubblewrap) or start Docker',
      );
  };

  const service = {
    /** `sessionId` is given by a caller that must create at most one session (a promotion). */
    async create(input: {
      org: string;
      actor: Actor;
      goal: string;
      repo?: string | { deviceId: string; path: string } | undefined;
      sessionId?: string;
    }) {
      if (typeof input.repo === 'object') return service.createOnDevice({ ...input, repo: input.repo });
      await requireSandbox();
      const sessionId = input.sessionId ?? newId('cs');
      if (input.sessionId) {
        const existing = await foldSubject({
          store,
          org: input.org,
          subject: coderSubject(sessionId),
          decider: coderDecider,
        });
        if (existing.state.status !== 'none')
          throw new CoderError('coder_session_state', `the session ${sessionId} exists already`);
      }
      const repo =
        input.repo === undefined ? undefined : await trees.resolveRepo({ org: input.org, repo: input.repo });
      const mode = repo === undefined ? ('greenfield' as const) : ('repo' as const);
      const runId = newId('run');
      if ((await activeSessions(db, input.org)) >= limits.maxActive) throw limitReached(limits.maxActive);
      const tree: SessionTree = { mode, org: input.org, sessionId, repo };
      await trees.create(tree);
      try {
        await handleCommand({
          store,
          org: input.org,
          subject: coderSubject(sessionId),
          decider: coderDecider,
          command: {
            type: 'create',
            session: {
              sessionId,
              mode,
              goal: input.goal,
              ...(repo !== undefined ? { repo, branch: coderBranch(sessionId) } : {}),
              runId,
              limits: { maxIterations: limits.maxIterations, maxTokens: limits.maxTokens },
            },
          },
          actor: input.actor,
          meta: { runId },
          // The count again in the append's transaction: two racing creations cannot both pass the limit.
          inline: (trx, appended) => applyCoderGate(trx, appended, { maxActive: limits.maxActive }),
        });
      } catch (error) {
        await trees.discard(tree).catch(deps.onError);
        if (error instanceof ActiveSessionLimit) throw limitReached(limits.maxActive);
        throw error;
      }
      return sessionId;
    },

    /**
     * A repo session whose repository is on a paired device of the org: the worktree is made there, by a
     * governed `worktree` call, before the session is recorded; a failed record removes it again.
     */
    async createOnDevice(input: {
      org: string;
      actor: Actor;
      goal: string;
      repo: { deviceId: string; path: string };
    }) {
      await checkDevice({
        devices: deps.devices.service,
        hub: deps.devices.hub,
        org: input.org,
        deviceId: input.repo.deviceId,
      });
      if ((await activeSessions(db, input.org)) >= limits.maxActive) throw limitReached(limits.maxActive);
      const sessionId = newId('cs');
      const session = {
        sessionId,
        mode: 'repo' as const,
        goal: input.goal,
        repo: input.repo.path,
        branch: coderBranch(sessionId),
        deviceId: input.repo.deviceId,
        runId: newId('run'),
        limits: { maxIterations: limits.maxIterations, maxTokens: limits.maxTokens },
      };
      const device = onDevice(input.org, input.actor, session);
      await device.create();
      try {
        await handleCommand({
          store,
          org: input.org,
          subject: coderSubject(sessionId),
          decider: coderDecider,
          command: { type: 'create', session },
          actor: input.actor,
          meta: { runId: session.runId },
          inline: (trx, appended) => applyCoderGate(trx, appended, { maxActive: limits.maxActive }),
        });
      } catch (error) {
        await device.discard().catch(deps.onError);
        if (error instanceof ActiveSessionLimit) throw limitReached(limits.maxActive);
        throw error;
      }
      return sessionId;
    },

    /** Refuses a repository the session could not use (`coder_repo_invalid`), before anything is asked. */
    checkRepo: async (input: { org: string; repo: string }) => {
      await trees.resolveRepo(input);
    },

    /** The list read model, once it has applied what was committed before the call (5 s at most). */
    async list(input: { org: string; limit: number }) {
      await untilCoderSessionsProjected(db);
      return (await listCoderSessions(db, input)).map((row) => ({
        ...row,
        stop: row.stop as CoderSession['stop'],
      }));
    },

    async get(input: { org: string; sessionId: string }): Promise<CoderSession> {
      const state = await fold(input.org, input.sessionId);
      const session = state.session!;
      // Who made it and when are on the subject's first event; the read model is not needed here.
      const [created] = await store.readSubject({ org: input.org, subject: coderSubject(input.sessionId) });
      const live =
        state.status === 'finished' || state.status === 'running' || state.status === 'awaiting_run';
      const diff = !live
        ? undefined
        : session.deviceId
          ? (deviceDiffs.get(session.sessionId) ??
            (state.status === 'finished'
              ? await diffOf(input.org, { kind: 'system', id: 'coder' }, session).catch(() => undefined)
              : undefined))
          : await trees.diff(treeOf(input.org, session)).catch(() => undefined);
      return {
        id: session.sessionId,
        mode: session.mode,
        status: state.status as CoderSession['status'],
        goal: session.goal,
        repo: session.repo ?? null,
        deviceId: session.deviceId ?? null,
        branch: session.branch ?? null,
        runId: session.runId,
        createdBy: created?.actor.id ?? '',
        createdAt: created?.time ?? '',
        iterations: state.iterations.length,
        tokens: state.inputTokens + state.outputTokens,
        stop: state.finished?.stop ?? null,
        filesChanged: state.finished?.filesChanged ?? diff?.filesChanged ?? null,
        artifactSha256: state.applied?.artifactSha256 ?? null,
        limits: session.limits,
        iterationLog: state.iterations.map(({ sessionId: _, ...i }) => i),
        inputTokens: state.inputTokens,
        outputTokens: state.outputTokens,
        summary: state.finished?.summary ?? null,
        error: state.finished?.error ?? null,
        diffSha256: state.finished?.diffSha256 ?? null,
        commit: state.applied?.commit ?? null,
        diff: diff?.diff ?? null,
        diffTruncated: diff?.truncated ?? false,
      };
    },

    /** Starts the loop (once: the decider refuses a second start) and answers as soon as it is recorded. */
    async run(input: { org: string; actor: Actor; sessionId: string }) {
      const state = await fold(input.org, input.sessionId);
      const session = state.session!;
      if (session.deviceId)
        await checkDevice({
          devices: deps.devices.service,
          hub: deps.devices.hub,
          org: input.org,
          deviceId: session.deviceId,
        });
      else await requireSandbox();
      await command(input.org, input.sessionId, input.actor, { type: 'start' }, session.runId);
      const tree = treeOf(input.org, session);
      const capsule = await activeCapsule({ store, org: input.org, skill: META_CODER.id });
      const loop = runCoderLoop(
        {
          store,
          gateway: deps.gateway,
          callTool: sessionTools(
            session.deviceId
              ? onDevice(input.org, input.actor, session).tools
              : {
                  store,
                  policies: deps.policies,
                  hitl: deps.hitl,
                  org: input.org,
                  actor: input.actor,
                  dir: trees.treeDir(tree),
                },
          ),
          summarise: () => diffOf(input.org, input.actor, session),
        },
        {
          org: input.org,
          actor: input.actor,
          session,
          model: evolutionModel(limits.model ?? null),
          system: capsule ? { text: capsule.text, capsuleId: capsule.id } : { text: META_CODER.basePrompt },
          runTimeoutMs: limits.runTimeoutMs,
          inline: (trx, appended) => applyCoderGate(trx, appended),
        },
      )
        .then(() => undefined)
        .catch(async (error) => {
          deps.onError(error);
          // A loop that broke still ends as a recorded failure, so the session can be discarded.
          const change = await diffOf(input.org, input.actor, session).catch(() => ({
            filesChanged: 0,
            diffSha256: '0'.repeat(64),
          }));
          await command(
            input.org,
            input.sessionId,
            input.actor,
            {
              type: 'finish',
              outcome: {
                stop: 'failed',
                error: 'the loop stopped on an internal error',
                filesChanged: change.filesChanged,
                diffSha256: change.diffSha256,
              },
            },
            session.runId,
          ).catch(deps.onError);
        })
        .finally(() => inFlight.delete(input.sessionId));
      inFlight.set(input.sessionId, loop);
    },

    /** Resolves when the session's loop, if one runs in this process, has ended. */
    settled: (sessionId: string) => inFlight.get(sessionId) ?? Promise.resolve(),
    /** The sessions whose loop runs in this process. */
    running: () => inFlight.keys(),

    async apply(input: { org: string; actor: Actor; sessionId: string }) {
      const state = await fold(input.org, input.sessionId);
      const session = state.session!;
      if (state.status !== 'finished')
        throw new CoderError(
          'coder_session_state',
          `the session is ${state.status}; only a finished session is applied`,
        );
      const tree = treeOf(input.org, session);
      let result: Extract<CoderCommand, { type: 'apply' }>['result'];
      const message = `Proofpane coder: ${session.goal.split('\n')[0]!.slice(0, 200)}`;
      if (session.deviceId) {
        const commit = await onDevice(input.org, input.actor, session).commit(message);
        deviceDiffs.delete(session.sessionId);
        result = commit ? { commit } : {};
      } else if (session.mode === 'repo') {
        const commit = await trees.commit({ ...tree, message });
        result = commit ? { commit } : {};
      } else {
        const path = trees.artifactPath({ org: input.org, sessionId: input.sessionId });
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        // The project's files, not its git index; links are stored as links, never followed.
        await createTar(
          {
            gzip: true,
            file: path,
            cwd: trees.treeDir(tree),
            portable: true,
            filter: (p) => !/^(\.\/)?\.git(\/|$)/.test(p),
          },
          ['.'],
        );
        const bytes = await readFile(path);
        result = {
          artifactSha256: createHash('sha256').update(bytes).digest('hex'),
          artifactBytes: bytes.length,
        };
        await rm(trees.treeDir(tree), { recursive: true, force: true });
      }
      await command(input.org, input.sessionId, input.actor, { type: 'apply', result }, session.runId);
      return result;
    },

    async discard(input: { org: string; actor: Actor; sessionId: string }) {
      const state = await fold(input.org, input.sessionId);
      const session = state.session!;
      await command(input.org, input.sessionId, input.actor, { type: 'discard' }, session.runId);
      deviceDiffs.delete(session.sessionId);
      if (session.deviceId) await onDevice(input.org, input.actor, session).discard();
      else await trees.discard(treeOf(input.org, session));
    },

    /** The approved tarball of a greenfield session, with the digest recorded on its event. */
    async artifact(input: { org: string; sessionId: string }) {
      const state = await fold(input.org, input.sessionId);
      const sha = state.applied?.artifactSha256;
      if (state.status !== 'applied' || !sha)
        throw new CoderError('coder_artifact_not_found', 'no approved artifact');
      const path = trees.artifactPath(input);
      await stat(path).catch(() => {
        throw new CoderError('coder_artifact_not_found', 'the artifact file is gone');
      });
      return { path, sha256: sha };
    },
  };
  return service;
}

const limitReached = (max: number) =>
  new CoderError(
    'coder_session_limit',
    `the org has ${max} active coder sessions; apply or discard one first`,
  );

export type CoderService = ReturnType<typeof createCoderService>;
