import type { FastifyInstance } from 'fastify';
import { TEST_ORG_HEADER } from './header-org.js';

/** Every read-model endpoint's answer for each org, to compare before and after a rebuild. */
export async function collectAnswers(options: {
  app: FastifyInstance;
  orgs: readonly string[];
}): Promise<unknown> {
  const { app } = options;
  const answers: Record<string, unknown> = {};
  for (const org of options.orgs) {
    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url, headers: { [TEST_ORG_HEADER]: org } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return String(res.headers['content-type']).startsWith('text/csv') ? res.body : res.json();
    };
    const pages: unknown[] = [];
    let next: string | null = '';
    while (next !== null) {
      const page = (await get(`/api/audit?limit=1000${next ? `&after=${next}` : ''}`)) as {
        next: string | null;
      };
      pages.push(page);
      next = page.next;
    }
    const runs = (await get('/api/runs?window=30d&limit=500')) as { runs: { id: string }[] };
    const trees = [];
    for (const run of runs.runs.slice(0, 25)) trees.push(await get(`/api/runs/${run.id}/tree`));
    answers[org] = {
      audit: pages,
      auditFiltered: await Promise.all(
        ['type=cp.llm.', 'actor=usr_1', 'subject=call/c7', 'runId=run_3', 'fromSeq=100&toSeq=400'].map((q) =>
          get(`/api/audit?limit=1000&${q}`),
        ),
      ),
      csv: await get('/api/audit/export.csv?type=cp.run.'),
      summary: await get('/api/cost/summary'),
      daily: await get('/api/cost/daily?days=60'),
      top: await Promise.all(['user', 'apikey', 'model', 'agent'].map((by) => get(`/api/cost/top?by=${by}`))),
      runs,
      remediations: await get('/api/runs?window=7d&kind=remediation'),
      trees,
      admin: (
        (await get('/api/admin/projections')) as { projections: Record<string, unknown>[] }
      ).projections.map(({ state: _state, ...rest }) => rest),
    };
  }
  return answers;
}
