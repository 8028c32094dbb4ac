import { randomBytes } from 'node:crypto';
import { roles } from '@proofpane/commands';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { passwordWeakness } from '../../auth/password-strength.js';
import { type Config, loadConfig } from '../../config.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import { createUserFromCli, listOrgs, rotateSigningKey, verifyChains } from './admin.js';

/** What the admin commands need from outside; tests pass their own database and streams. */
export interface AdminCliDeps {
  openRuntime: (config: Config) => Promise<Runtime>;
  out: (text: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

export const defaultAdminDeps: AdminCliDeps = {
  openRuntime: (config) => openRuntime({ config }),
  out: (text) => process.stdout.write(text),
  readStdin: readAll,
  env: process.env,
};

async function withRuntime<T>(deps: AdminCliDeps, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await deps.openRuntime(loadConfig(deps.env));
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

const role = (value: string) => {
  if (!(roles as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${roles.join(', ')}`);
  return value as (typeof roles)[number];
};

/** `verify-chain`, `keys list|rotate`, `orgs list`, `users create`: administration on the server's database. */
export function addAdminCommands(program: Command, deps: AdminCliDeps = defaultAdminDeps): void {
  const { out } = deps;

  program
    .command('verify-chain')
    .description(
      'recompute the hash chain of one org (--org) or of every org (--all); exit 1 if any is broken',
    )
    .addOption(new Option('--org <id>', 'the organisation to verify').conflicts('all'))
    .option('--all', 'verify every org, the platform stream included')
    .action(async (options: { org?: string; all?: boolean }) => {
      if (!options.org && !options.all) throw new Error('verify-chain needs --org <id> or --all');
      await withRuntime(deps, async (runtime) => {
        if (options.org && !(await runtime.store.head(options.org)))
          throw new Error(`no events for org ${options.org}; see "proofpane orgs list"`);
        const orgs = options.all ? await runtime.store.orgs() : [options.org!];
        const reports = await verifyChains({ runtime, orgs });
        for (const r of reports) out(`${r.ok ? 'ok    ' : 'BROKEN'} ${r.org}: ${r.detail}\n`);
        if (reports.length === 0) out('no events yet\n');
        if (reports.some((r) => !r.ok)) process.exitCode = 1;
      });
    });

  const keys = program.command('keys').description('the platform signing keys (checkpoints, evidence packs)');
  keys
    .command('list')
    .description('list the current and retired public keys')
    .action(() =>
      withRuntime(deps, async (runtime) => {
        for (const k of runtime.keyring.published())
          out(
            `${k.keyId}  ${k.status.padEnd(7)}  from ${k.from}${k.until ? ` until ${k.until}` : ''}  ${k.publicKey}\n`,
          );
      }),
    );
  keys
    .command('rotate')
    .description(
      'retire the current key (it stays published) and start a new one; recorded in the platform stream',
    )
    .action(() =>
      withRuntime(deps, async (runtime) => {
        const { retired, current } = await rotateSigningKey({ runtime });
        out(`rotated: ${retired} retired, ${current} current\n`);
      }),
    );

  program
    .command('orgs')
    .description('organisations')
    .command('list')
    .description('list every organisation with its member count')
    .action(() =>
      withRuntime(deps, async (runtime) => {
        const orgs = await listOrgs({ runtime });
        for (const o of orgs)
          out(`${o.id}  ${o.name}  members=${o.members}  created ${new Date(o.created_at).toISOString()}\n`);
        if (orgs.length === 0) out('no organisations yet\n');
      }),
    );

  program
    .command('users')
    .description('user accounts')
    .command('create')
    .description(
      'create an account owning a new org (--org-name), or join it to an existing org (--org, --role)',
    )
    .requiredOption('--email <email>', 'the account’s email address')
    .addOption(new Option('--org <id>', 'add the user to this existing organisation').conflicts('orgName'))
    .option('--org-name <name>', 'name of the new organisation the user will own')
    .option('--role <role>', `role in --org: ${roles.join(', ')}`, role, 'member')
    .option(
      '--password-stdin',
      'read the password from standard input (otherwise one is generated and printed)',
    )
    .action(
      async (options: {
        email: string;
        org?: string;
        orgName?: string;
        role: (typeof roles)[number];
        passwordStdin?: boolean;
      }) => {
        if (!/^[^@\s]+@[^@\s]+$/.test(options.email))
          throw new Error(`--email: "${options.email}" is not an email address`);
        const typed = options.passwordStdin ? (await deps.readStdin()).replace(/\r?\n$/, '') : undefined;
        if (typed !== undefined && typed.length < 8)
          throw new Error('the password must be at least 8 characters');
        const weakness =
          typed === undefined
            ? undefined
            : passwordWeakness({ password: typed, userInputs: [options.email, options.orgName] });
        if (weakness) throw new Error(`the password is too easy to guess: ${weakness}`);
        const password = typed ?? randomBytes(18).toString('base64url');
        await withRuntime(deps, async (runtime) => {
          const result = await createUserFromCli({ runtime, ...options, password });
          out(
            `${result.created ? 'created' : 'existing'} user ${result.user.id} <${result.user.email}> in org ${result.org.id}\n`,
          );
          if (result.created && typed === undefined) out(`password (shown once): ${password}\n`);
        });
      },
    );
}
