import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createCli } from '../cli.js';
import { parseRole } from '../runtime/roles.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const infra = join(root, 'infra');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Doc = Record<string, unknown>;

/** Every variable the server reads: its configuration schema and the few read where they are used. */
function knownVariables(): Set<string> {
  const names = new Set<string>();
  const config = read('server/src/config.ts');
  const start = config.indexOf('const envSchema');
  const schema = config.slice(start, config.indexOf('\n});', start));
  for (const match of schema.matchAll(/^\s+([A-Z][A-Z0-9_]+): z/gm)) names.add(match[1]!);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.includes('.spec.')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g))
          names.add(match[1]!);
      }
    }
  };
  walk(join(root, 'server/src'));
  return names;
}

const known = knownVariables();

function serveRole(command: unknown): string {
  expect(Array.isArray(command)).toBe(true);
  const args = command as string[];
  expect(args[0]).toBe('serve');
  const at = args.indexOf('--role');
  expect(at).toBeGreaterThan(0);
  const role = args[at + 1]!;
  expect(parseRole(role), `role ${role}`).toBe(role);
  return role;
}

describe('infra/ against the server it deploys', () => {
  it('knows the variables the server reads', () => {
    for (const name of ['DATABASE_URL', 'PROOFPANE_ROLE', 'PROOFPANE_METRICS_TOKEN', 'QDRANT_URL'])
      expect(known).toContain(name);
  });

  it('compose: two api processes behind the proxy, a projector and a worker, with variables the server reads', () => {
    const compose = parse(readFileSync(join(infra, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, Doc>;
    };
    const roles: string[] = [];
    const served: Doc[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image !== 'proofpane:local') continue;
      expect((service.build as Doc).dockerfile).toBe('infra/Dockerfile');
      if (name === 'migrate') {
        expect(service.command).toEqual(['migrate']);
        expect(service.restart).toBe('no');
      } else {
        roles.push(serveRole(service.command));
        served.push(service);
      }
      for (const variable of Object.keys(service.environment as Doc))
        expect(known, `${name} sets ${variable}`).toContain(variable);
    }
    // Every serving process starts after the one-shot migration finished.
    for (const service of served)
      expect((service.depends_on as Doc).migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(roles.filter((r) => r === 'api')).toHaveLength(2);
    expect(roles).toContain('projector');
    expect(roles).toContain('worker');
    const upstreams = [...read('infra/Caddyfile').matchAll(/([a-z0-9-]+):8787/g)].map((m) => m[1]!);
    expect(upstreams.length).toBe(2);
    for (const upstream of upstreams) {
      expect(Object.keys(compose.services)).toContain(upstream);
      expect(serveRole(compose.services[upstream]!.command)).toBe('api');
    }
    expect(compose.services.qdrant?.profiles).toEqual(['qdrant']);
    expect(compose.services.kurrentdb?.profiles).toEqual(['kurrentdb']);
    // Every variable the file asks for is in the example environment file.
    const example = read('infra/.env.example');
    for (const match of read('infra/compose.yaml').matchAll(/\$\{([A-Z_]+)/g))
      expect(example).toContain(`${match[1]}=`);
  });

  it('kubernetes: a Deployment per role, ready on /healthz, secrets from a Secret, budgets that select pods', () => {
    const kustomization = parse(read('infra/k8s/kustomization.yaml')) as { resources: string[] };
    const docs: Doc[] = [];
    for (const file of kustomization.resources) {
      for (const doc of parseAllDocuments(read(`infra/k8s/${file}`))) {
        expect(doc.errors).toEqual([]);
        docs.push(doc.toJS() as Doc);
      }
    }
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    const roles = new Set<string>();
    const secretKeys = Object.keys(
      (parse(read('infra/k8s/secret.example.yaml')) as { stringData: Doc }).stringData,
    );
    for (const key of secretKeys) expect(known).toContain(key);
    for (const deployment of deployments) {
      const spec = (deployment.spec as Doc).template as { metadata: { labels: Doc }; spec: Doc };
      const [container] = spec.spec.containers as Doc[];
      roles.add(serveRole(container!.args));
      expect((container!.readinessProbe as { httpGet: Doc }).httpGet.path).toBe('/healthz');
      for (const env of container!.env as { name: string }[]) expect(known).toContain(env.name);
      expect(container!.envFrom).toEqual([{ secretRef: { name: 'proofpane-secrets' } }]);
      expect((spec.spec.securityContext as Doc).runAsNonRoot).toBe(true);
    }
    expect([...roles].sort()).toEqual(['api', 'projector', 'worker']);
    const jobs = docs.filter((d) => d.kind === 'Job');
    expect(jobs).toHaveLength(1);
    const job = ((jobs[0]!.spec as Doc).template as { spec: Doc }).spec;
    const [migrator] = job.containers as Doc[];
    expect(migrator!.args).toEqual(['migrate']);
    expect(migrator!.envFrom).toEqual([{ secretRef: { name: 'proofpane-secrets' } }]);
    for (const env of migrator!.env as { name: string }[]) expect(known).toContain(env.name);
    expect(job.restartPolicy).toBe('Never');
    const budgets = docs.filter((d) => d.kind === 'PodDisruptionBudget');
    expect(budgets.length).toBeGreaterThan(0);
    for (const budget of budgets) {
      const selector = ((budget.spec as Doc).selector as { matchLabels: Doc }).matchLabels;
      expect(
        deployments.some((d) => {
          const labels = ((d.spec as Doc).template as { metadata: { labels: Doc } }).metadata.labels;
          return Object.entries(selector).every(([k, v]) => labels[k] === v);
        }),
      ).toBe(true);
    }
  });

  it('Dockerfile: a slim non-root runtime with every package the server needs, from what make build writes', () => {
    const dockerfile = read('infra/Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20-[a-z]+-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK[\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^RUN npm run build/m);
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+) \/app\/(\S+)$/gm)].map((m) => {
      expect(m[2]).toBe(m[1]);
      return m[1]!;
    });
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const folderOf = new Map(
      workspaces.map((w) => [(JSON.parse(read(`${w}/package.json`)) as { name: string }).name, w] as const),
    );
    // The server's own packages, and theirs, each with its package.json and built output.
    const needed = new Set<string>();
    const visit = (folder: string) => {
      if (needed.has(folder)) return;
      needed.add(folder);
      const deps = (JSON.parse(read(`${folder}/package.json`)) as { dependencies?: Doc }).dependencies ?? {};
      for (const name of Object.keys(deps)) if (folderOf.has(name)) visit(folderOf.get(name)!);
    };
    visit('server');
    for (const folder of needed) {
      expect(copied).toContain(`${folder}/package.json`);
      expect(copied).toContain(`${folder}/dist`);
      const build = JSON.parse(read(`${folder}/tsconfig.build.json`)) as {
        compilerOptions: { outDir: string };
      };
      expect(build.compilerOptions.outDir).toBe('dist');
    }
    // The console's static build, where the server looks for it.
    expect(copied).toContain('web/build');
    expect(read('web/svelte.config.js')).toContain("pages: 'build'");
    expect(read('server/src/console/plugin.ts')).toContain("'../../../web/build'");
    for (const path of copied.filter((p) => !p.endsWith('dist') && p !== 'web/build' && p !== 'node_modules'))
      expect(existsSync(join(root, path)), path).toBe(true);
    expect(read('server/bin/proofpane.js')).toContain('../dist/cli.js');
  });

  it('README: the files it names exist and the roles it starts are roles', () => {
    const readme = read('infra/README.md');
    for (const match of readme.matchAll(/infra\/[A-Za-z0-9._/-]+/g)) {
      const path = match[0].replace(/[.,]$/, '');
      // The operator's own environment file, copied from the example.
      if (path === 'infra/.env') continue;
      expect(existsSync(join(root, path)), path).toBe(true);
    }
    for (const match of readme.matchAll(/--role (\S+)/g)) expect(parseRole(match[1]!)).toBeDefined();
    // Every `proofpane <command>` it shows is a command the CLI has.
    const commands = createCli().commands.map((c) => c.name());
    for (const match of readme.matchAll(/(?<![\w/-])proofpane ([a-z][a-z-]*)/g))
      expect(commands).toContain(match[1]);
  });
});
