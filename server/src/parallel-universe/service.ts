import {
  evolutionModel,
  evolvableSkill,
  fetchSource,
  foldSubject,
  type Gateway,
  handleCommand,
  handleEvolutionCommand,
  loadEvolutionSettings,
  loadPuSettings,
  PU_SOURCES,
  type PuBaseUrls,
  type PuItemCommand,
  PuItemError,
  type PuSettings,
  puBudgetSubject,
  puItemDecider,
  puItemId,
  puItemSubject,
  puSourceSubject,
  recordBudgetExhausted,
  recordSourceFetch,
  type SourceCursor,
  triageItem,
} from '@proofpane/commands';
import type { Actor, EventData, EventStore } from '@proofpane/core';
import { argsHash } from '@proofpane/daemon';
import {
  listPuItems,
  puItemsAwaitingPromotion,
  puItemsAwaitingTriage,
  puTriageSpend,
  stalePuItems,
  untilPuItemsProjected,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';
import type { CoderService } from '../coder/service.js';
import type { HitlService } from '../hitl/service.js';

const SYSTEM: Actor = { kind: 'system', id: 'parallel-universe' };
/** Items triaged in one pass at most: the budget meter is checked before each. */
const TRIAGE_PER_PASS = 50;
const GENE_MAX_CHARS = 400;

export interface PuServiceDeps {
  db: Kysely<unknown>;
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  hitl: HitlService;
  coder: CoderService;
  baseUrls: PuBaseUrls;
  timeoutMs: number;
  model: string | undefined;
  onError(error: unknown): void;
}

export interface PassResult {
  ran: boolean;
  sources: Record<string, string>;
  discovered: number;
  triaged: number;
  archived: number;
  promoted: number;
  budgetExhausted: boolean;
}

const monthOf = (now: Date) => now.toISOString().slice(0, 7);
const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
/**
 * Parallel Universe as the routes and the loop use it: one pass per org fetches the five sources
 * conditionally, records new items once, triages them under the org's monthly budget (stopping at the cap
 * with an event), archives stale ones and settles decided promotions. A promotion asks a person first; once
 * approved it becomes a gene proposal (self-evolution) or a coder session awaiting its run.
 */
export function createPuService(deps: PuServiceDeps) {
  const { db, store } = deps;
  const item = (org: string, itemId: string, actor: Actor, command: PuItemCommand) =>
    handleCommand({
      store,
      org,
      subject: puItemSubject(itemId),
      decider: puItemDecider,
      command,
      actor,
    });

  const cursorOf = async (org: string, source: string): Promise<SourceCursor> => {
    const events = await store.readSubject({ org, subject: puSourceSubject(source) });
    const last = events.at(-1)?.data as EventData<'cp.pu.source.fetched'> | undefined;
    return {
      ...(last?.etag ? { etag: last.etag } : {}),
      ...(last?.lastModified ? { lastModified: last.lastModified } : {}),
      ...(last?.retryAt ? { retryAt: last.retryAt } : {}),
    };
  };

  const spentThisMonth = (org: string, now: Date) => puTriageSpend(db, { org, since: monthStart(now) });

  const budget = async (org: string, now: Date, settings?: PuSettings) => {
    const s = settings ?? (await loadPuSettings({ store, org }));
    const month = monthOf(now);
    const stopped = await store.readSubject({ org, subject: puBudgetSubject(month) });
    return {
      month,
      spentMicros: await spentThisMonth(org, now),
      capMicros: s.monthlyBudgetMicros,
      exhausted: stopped.length > 0,
    };
  };

  /** A decided promotion: approved becomes a gene proposal or a coder session; denied or expired goes back. */
  // One settling per item at a time in this process; a second caller waits for the first one's outcome.
  const settling = new Map<string, Promise<boolean>>();
  const settle = (org: string, itemId: string, repo?: string): Promise<boolean> => {
    const running = settling.get(itemId);
    if (running) return running;
    const started = settleOnce(org, itemId, repo).finally(() => settling.delete(itemId));
    settling.set(itemId, started);
    return started;
  };
  const settleOnce = async (org: string, itemId: string, repo?: string) => {
    const subject = puItemSubject(itemId);
    const events = await store.readSubject({ org, subject });
    const { state } = await foldSubject({ store, org, subject, decider: puItemDecider });
    if (state.status !== 'promotion_pending' || !state.hitlRequestId) return false;
    const request = await deps.hitl.get({ org, requestId: state.hitlRequestId });
    if (request.status === 'pending') return false;
    if (request.status !== 'approved') {
      await item(org, itemId, SYSTEM, { type: 'deny-promotion' });
      return false;
    }
    // The person who asked for the promotion is accountable for what it creates.
    const actor = events.filter((e) => e.type === 'cp.pu.item.promotion.requested').at(-1)?.actor ?? SYSTEM;
    const triage = state.triage!;
    const discovered = state.discovered!;
    if (triage.action === 'gene') {
      const skill = evolvableSkill(triage.skill ?? '')!;
      // Derived from the item: a second settling (another process, a retry) is refused by the decider.
      const geneId = `gene_${itemId}`;
      const settings = await loadEvolutionSettings({ store, org });
      await handleEvolutionCommand({
        store,
        org,
        actor,
        command: {
          type: 'propose',
          geneId,
          skill: skill.id,
          text: (triage.proposal ?? '').slice(0, GENE_MAX_CHARS),
          rationale: `Parallel Universe: ${discovered.title} (${discovered.url}). ${triage.summary}`.slice(
            0,
            2_000,
          ),
          motivatingEventIds: [events[0]!.id],
          origin: 'parallel-universe',
          proposedBy: actor.kind === 'user' ? actor.id : null,
          maxOpenProposals: settings.maxOpenProposals,
        },
      });
      await item(org, itemId, actor, { type: 'promote', geneId });
    } else {
      const sessionId = await deps.coder.create({
        org,
        actor,
        sessionId: `cs_${itemId}`,
        goal: `${triage.proposal ?? triage.summary}\n\nSource: ${discovered.title} (${discovered.url})`.slice(
          0,
          4_000,
        ),
        ...(repo ? { repo } : {}),
      });
      await item(org, itemId, actor, { type: 'promote', sessionId });
    }
    return true;
  };
  const promotionRepos = new Map<string, string>();

  return {
    budget,

    /** The list read model, once it has applied what was committed before the call (5 s at most). */
    async items(input: { org: string; status?: string | undefined; limit: number; now: Date }) {
      await untilPuItemsProjected(db);
      return { items: await listPuItems(db, input), budget: await budget(input.org, input.now) };
    },

    /** One pass for one org; `force` runs it whether the org turned the loop on or not. */
    async pass(input: { org: string; now: Date; force?: boolean }): Promise<PassResult> {
      const { org, now } = input;
      const settings = await loadPuSettings({ store, org });
      const result: PassResult = {
        ran: false,
        sources: {},
        discovered: 0,
        triaged: 0,
        archived: 0,
        promoted: 0,
        budgetExhausted: false,
      };
      if (!settings.enabled && !input.force) return result;
      result.ran = true;

      for (const source of PU_SOURCES) {
        const outcome = await fetchSource({
          source,
          baseUrls: deps.baseUrls,
          cursor: await cursorOf(org, source),
          timeoutMs: deps.timeoutMs,
          now: now.getTime(),
        });
        result.sources[source] = outcome.kind;
        if (outcome.kind === 'deferred') continue;
        let fresh = 0;
        if (outcome.kind === 'fetched')
          for (const found of outcome.items) {
            const itemId = puItemId(source, found.sourceId);
            const appended = await item(org, itemId, SYSTEM, {
              type: 'discover',
              item: { itemId, source, ...found },
            });
            fresh += appended.length;
          }
        result.discovered += fresh;
        await recordSourceFetch({ store, org, actor: SYSTEM, source, outcome, newItems: fresh });
      }

      // The read model has the new items and the month's spend before the pass reads them; the meter is
      // then kept in step locally, since the triages of this pass may not be applied yet.
      await untilPuItemsProjected(db);
      const waiting = await puItemsAwaitingTriage(db, { org, limit: TRIAGE_PER_PASS });
      let spentInPass = 0;
      const model = evolutionModel(deps.model ?? null);
      const startMeter = await budget(org, now, settings);
      for (const itemId of waiting) {
        const meter = { ...startMeter, spentMicros: startMeter.spentMicros + spentInPass };
        if (meter.spentMicros >= meter.capMicros) {
          if (!meter.exhausted)
            await recordBudgetExhausted({
              store,
              org,
              actor: SYSTEM,
              month: meter.month,
              capMicros: meter.capMicros,
              spentMicros: meter.spentMicros,
            });
          result.budgetExhausted = true;
          break;
        }
        const { state } = await foldSubject({
          store,
          org,
          subject: puItemSubject(itemId),
          decider: puItemDecider,
        });
        if (state.status !== 'new') continue;
        const triage = await triageItem(
          { store, gateway: deps.gateway },
          { org, actor: SYSTEM, model, item: state.discovered! },
        );
        spentInPass += triage.ok ? triage.result.costMicros : triage.costMicros;
        await item(
          org,
          itemId,
          SYSTEM,
          triage.ok
            ? { type: 'triage', result: triage.result }
            : {
                type: 'fail-triage',
                reason: triage.reason,
                runId: triage.runId,
                costMicros: triage.costMicros,
              },
        );
        result.triaged++;
      }

      const staleBefore = new Date(now.getTime() - settings.staleAfterDays * 86_400_000);
      await untilPuItemsProjected(db);
      for (const id of await stalePuItems(db, { org, before: staleBefore })) {
        await item(org, id, SYSTEM, { type: 'archive', staleAfterDays: settings.staleAfterDays });
        result.archived++;
      }

      for (const id of await puItemsAwaitingPromotion(db, { org }))
        if (await settle(org, id, promotionRepos.get(id))) result.promoted++;
      return result;
    },

    /** Asks a person to approve the promotion; the approval settles it at once in this process, or in a pass. */
    async promote(input: { org: string; actor: Actor; itemId: string; repo?: string | undefined }) {
      const { org, actor, itemId } = input;
      const { state } = await foldSubject({
        store,
        org,
        subject: puItemSubject(itemId),
        decider: puItemDecider,
      });
      if (state.status === 'none')
        throw new PuItemError('pu_item_not_found', `no item ${itemId} in this org`);
      if (state.status !== 'triaged' || !state.triage || state.triage.action === 'ignore')
        throw new PuItemError(
          'pu_item_state',
          `the item is ${state.status}; only a triaged item with a proposal is promoted`,
        );
      if (state.triage.action === 'gene' && !evolvableSkill(state.triage.skill ?? ''))
        throw new PuItemError(
          'pu_item_state',
          `the triage names no skill that can evolve (${state.triage.skill ?? 'none'})`,
        );
      if (input.repo && state.triage.action === 'coder')
        await deps.coder.checkRepo({ org, repo: input.repo });
      const args = {
        itemId,
        target: state.triage.action,
        proposal: state.triage.proposal ?? '',
        repo: input.repo ?? null,
      };
      const asked = await deps.hitl.request({
        org,
        actor,
        kind: 'pu_promotion',
        target: `pu-item/${itemId}/${state.triage.action}`,
        args,
        argsSha256: argsHash(args),
        summary:
          `Promote "${state.discovered!.title}" into a ${state.triage.action === 'gene' ? `gene for ${state.triage.skill}` : 'coder session'}: ${state.triage.proposal ?? ''}`.slice(
            0,
            2_000,
          ),
        reason: 'A Parallel Universe promotion is approved by a person',
        rulesMatched: [],
        dlp: {},
        timeoutSeconds: 7 * 86_400,
        // Never by precedent: every promotion is a person's decision.
        autoApproveThreshold: Number.POSITIVE_INFINITY,
      });
      await item(org, itemId, actor, { type: 'request-promotion', hitlRequestId: asked.requestId });
      if (input.repo) promotionRepos.set(itemId, input.repo);
      void deps.hitl
        .waitFor({ org, requestId: asked.requestId })
        .then(() => settle(org, itemId, input.repo))
        .catch(deps.onError)
        .finally(() => promotionRepos.delete(itemId));
      return { hitlRequestId: asked.requestId };
    },

    /** Settles one item's promotion if its request was decided (for specs and the loop). */
    settle: (org: string, itemId: string) => settle(org, itemId, promotionRepos.get(itemId)),
  };
}

export type PuService = ReturnType<typeof createPuService>;
