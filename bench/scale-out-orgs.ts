import { randomBytes } from 'node:crypto';
import { openDatabase, PostgresEventStore } from '@proofpane/core';
import { json, type Proc } from './scale-out-processes.js';

// The scale-out bench's orgs: created through the same routes a user calls (so each chain holds what a
// real org's does), checked afterwards from the database, and warmed up before memory is measured.

export interface Org {
  id: string;
  key: string;
  /** The api process that serves this org's load, so every per-org cache is warmed where it is used. */
  api: Proc;
}

/** What set-up appends to each org's chain, besides the org's creation. */
const SET_UP_TYPES = ['cp.identity.api-key.created', 'cp.policy.updated', 'cp.budget.cap.set'];

const must = (what: string, res: { status: number; body: unknown }, status: number) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
};

/**
 * Registers `count` orgs, each with an admin API key, a policy (DLP masks e-mail addresses) and a
 * $100 monthly budget, `concurrency` at a time spread over the api processes. After sign-up the key,
 * policy and budget requests go out together: they append to different subjects of the new org's
 * chain, which the store serialises.
 */
export async function createOrgs(options: {
  apis: readonly Proc[];
  count: number;
  concurrency: number;
  log: (line: string) => void;
}): Promise<Org[]> {
  const orgs: Org[] = [];
  let next = 0;
  const one = async (i: number) => {
    const api = options.apis[i % options.apis.length]!;
    const reg = await json(api.base, 'POST', '/api/auth/register', undefined, {
      email: `scale-${i}-${randomBytes(3).toString('hex')}@example.test`,
      password: `scale password ${i} ${randomBytes(4).toString('hex')}`,
      orgName: `Scale ${i}`,
    });
    must('register', reg, 201);
    const token = reg.body.token as string;
    const [key, policy, budget] = await Promise.all([
      json(api.base, 'POST', '/api/api-keys', token, { name: 'load', role: 'admin' }),
      json(api.base, 'PUT', '/api/policy', token, { dlp: { EMAIL: 'mask' } }),
      json(api.base, 'PUT', '/api/budget', token, { monthlyUsdCap: 100 }),
    ]);
    must('api key', key, 201);
    must('policy', policy, 200);
    must('budget', budget, 200);
    orgs.push({ id: (reg.body.org as { id: string }).id, key: key.body.key as string, api });
  };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.count) {
        const i = next++;
        await one(i);
        if ((i + 1) % 250 === 0) options.log(`  ${i + 1} orgs`);
      }
    }),
  );
  return orgs;
}

/**
 * Verifies the hash chains of `sample` orgs straight from the database (every hash and link, by the
 * store's own verifier) and that each holds the set-up's key, policy and budget events.
 */
export async function verifySample(options: { url: string; orgs: readonly Org[]; sample: number }) {
  const database = await openDatabase({ url: options.url, poolSize: 4 });
  const store = await PostgresEventStore.open({ database });
  try {
    const step = Math.max(1, Math.floor(options.orgs.length / options.sample));
    const picked = options.orgs.filter((_, i) => i % step === 0).slice(0, options.sample);
    for (const org of picked) {
      const verification = await store.verifyChain({ org: org.id });
      if (!verification.ok)
        throw new Error(`chain of ${org.id} broken at ${verification.seq}: ${verification.reason}`);
      const types = new Set((await store.readOrg({ org: org.id })).map((e) => e.type));
      for (const type of SET_UP_TYPES)
        if (!types.has(type)) throw new Error(`chain of ${org.id} lacks ${type}`);
    }
    return picked.length;
  } finally {
    await store.close();
    await database.close();
  }
}

/**
 * One governed call and one audit read for every org on its own api process: the per-org state a
 * process keeps (policies, budget leases, key rows, settings) is then all loaded, so memory measured
 * after this is the steady state, not the first sight of each org.
 */
export async function warmUp(options: { orgs: readonly Org[]; concurrency: number }) {
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.orgs.length) {
        const org = options.orgs[next++]!;
        await governedCall(org, 'warm-up');
        await json(org.api.base, 'GET', '/api/audit?limit=20', org.key);
      }
    }),
  );
}

export const governedCall = (org: Org, text: string) =>
  json(org.api.base, 'POST', '/v1/chat/completions', org.key, {
    model: 'demo',
    max_tokens: 32,
    messages: [{ role: 'user', content: `${text} from ops@example.com` }],
  });
