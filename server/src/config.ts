import { resolve } from 'node:path';
import { z } from 'zod';
import { type ProcessRole, parseRole, roleRuns } from './runtime/roles.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PROOFPANE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PROOFPANE_SIGNING_KEY: z.string().optional(),
  PROOFPANE_CORS_ORIGINS: z.string().optional(),
  PROOFPANE_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  PROOFPANE_CHECKPOINT_INTERVAL_S: z.coerce.number().int().nonnegative().default(300),
  PROOFPANE_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(10_000),
  PROOFPANE_TOOLS_ROOT: z.string().min(1).optional(),
  PROOFPANE_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PROOFPANE_TOKEN_TTL: z
    .string()
    .regex(/^\d+[smhd]$/, 'must read like 900s, 30m, 12h or 7d')
    .default('12h'),
  PROOFPANE_AUTH_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  PROOFPANE_SCRYPT_COST: z.coerce.number().int().min(10).max(20).default(17),
  PROOFPANE_INVITATION_TTL_HOURS: z.coerce.number().positive().default(72),
  PROOFPANE_PUBLIC_URL: z.url().optional(),
  PROOFPANE_MAIL_FROM: z.string().min(3).default('Proofpane <no-reply@proofpane.local>'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  PROOFPANE_MASTER_KEY: z.string().min(1).optional(),
  PROOFPANE_DEFAULT_MAX_TOKENS: z.coerce.number().int().positive().default(4096),
  PROOFPANE_RESERVATION_TTL_SECONDS: z.coerce.number().int().min(60).default(900),
  PROOFPANE_ANOMALY_FACTOR: z.coerce.number().positive().default(5),
  PROOFPANE_PRICE_REFRESH: z.enum(['on', 'off']).default('on'),
  PROOFPANE_DEMO_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  PROOFPANE_CODER_MAX_ITERATIONS: z.coerce.number().int().min(1).max(1_000).default(20),
  PROOFPANE_CODER_MAX_TOKENS: z.coerce.number().int().min(1_000).max(10_000_000).default(200_000),
  PROOFPANE_CODER_MAX_ACTIVE: z.coerce.number().int().min(1).max(1_000).default(10),
  PROOFPANE_CODER_RUN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  PROOFPANE_CODER_MODEL: z
    .string()
    .regex(/^[a-z-]+\/.+$/, 'must read provider/model')
    .optional(),
  PROOFPANE_PU_GITHUB_URL: z.url().default('https://api.github.com'),
  PROOFPANE_PU_ARXIV_URL: z.url().default('https://export.arxiv.org'),
  PROOFPANE_PU_HN_URL: z.url().default('https://hn.algolia.com'),
  PROOFPANE_PU_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  PROOFPANE_PU_MODEL: z
    .string()
    .regex(/^[a-z-]+\/.+$/, 'must read provider/model')
    .optional(),
  PROOFPANE_WORKFLOW_ENGINE: z.enum(['on', 'off']).default('on'),
  PROOFPANE_WORKER_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", 100 at most')
    .optional(),
  PROOFPANE_WORKFLOW_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  PROOFPANE_WORKFLOW_SWEEP_MS: z.coerce.number().int().min(20).max(60_000).default(1_000),
  PROOFPANE_WORKFLOW_KEPT_OUTPUT_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  PROOFPANE_PROJECTIONS: z.enum(['worker', 'inline']).optional(),
  PROOFPANE_ROLE: z
    .string()
    .default('all')
    .transform((text, ctx) => {
      const role = parseRole(text);
      if (role === undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'must be all, api, projector, worker or a comma list of the last three',
        });
      return role ?? 'all';
    }),
  PROOFPANE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PROOFPANE_EVENTS_PARTITIONS: z.coerce.number().int().min(0).max(1024).default(0),
  PROOFPANE_BACKUP_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  SENTRY_DSN: z.url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().optional(),
  GEMINI_API_KEY: z.string().optional(),
  GEMINI_BASE_URL: z.string().optional(),
  DEEPSEEK_API_KEY: z.string().optional(),
  DEEPSEEK_BASE_URL: z.string().optional(),
  OPENAI_COMPATIBLE_BASE_URL: z.string().optional(),
  OPENAI_COMPATIBLE_API_KEY: z.string().optional(),
});

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /**
   * Where the projections run: a worker thread with its own pool, or the server's own thread.
   * Unset: a worker on PostgreSQL, inline on PGlite (which one thread owns).
   */
  projections: 'worker' | 'inline' | undefined;
  /**
   * What this process does (docs/operations.md): `api` serves HTTP, SSE and WebSocket; `projector`
   * runs the projections; `worker` the background loops; `all` everything (`make run`).
   */
  role: ProcessRole;
  /** Bearer token that `GET /metrics` asks for; absent: the route refuses every request. */
  metricsToken: string | undefined;
  /** Operator key (a passphrase) that `proofpane backup` encrypts under and `restore` decrypts with. */
  backupKey: string | undefined;
  /** Hash partitions of the events table by org when PostgreSQL creates it (0: one table). */
  eventsPartitions: number;
  /** OTLP HTTP endpoint: traces are exported only when it is set. */
  otlpEndpoint: string | undefined;
  /** Where unexpected (5xx) errors are reported, scrubbed of bodies and credentials; absent: nowhere. */
  sentryDsn: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  signingKeySeed: string | undefined;
  corsOrigins: string[];
  bodyLimit: number;
  /** 0 turns periodic checkpoints off. */
  checkpointIntervalMs: number;
  checkpointEveryEvents: number;
  /** Folder holding one workspace per org for in-process tools; default `<dataDir>/workspaces`. */
  toolsRoot: string | undefined;
  /** HS256 secret for session tokens; absent: created once in `<dataDir>/keys/jwt-secret`. */
  jwtSecret: string | undefined;
  tokenTtlSeconds: number;
  /** Requests per minute and client address on the /api/auth routes. */
  authRateLimit: number;
  /** log2 of scrypt's N for new password hashes. */
  scryptCost: number;
  invitationTtlHours: number;
  /** Base of links in mails (invitations); defaults to the listening address. */
  publicUrl: string;
  mailFrom: string;
  /** No SMTP_URL: invitation links go back to the inviting admin only (never to the log). */
  smtpUrl: string | undefined;
  /** Base64 of 32 bytes wrapping per-org provider keys; absent: created once in `<dataDir>/keys/master-key`. */
  masterKey: string | undefined;
  /** Output tokens reserved (and requested) when a call names no max tokens and the policy sets no limit. */
  defaultMaxTokens: number;
  /** After this long an unsettled budget reservation is treated as a dead call and released. */
  reservationTtlSeconds: number;
  /** A call costing more than this many times the org's recent average raises a cost anomaly. */
  anomalyFactor: number;
  /** Download LiteLLM's price list in the background (never blocking a call). */
  priceRefresh: boolean;
  /** How long the demo provider waits before answering, so runs can be watched (and stopped) in flight. */
  demoLatencyMs: number;
  /** Repo Coder and Greenfield (docs/coder.md): per-session limits, active sessions per org, the model. */
  coder: {
    maxIterations: number;
    maxTokens: number;
    maxActive: number;
    runTimeoutMs: number;
    /** `provider/model`; absent: the offline demo provider. */
    model: string | undefined;
  };
  /**
   * Parallel Universe (docs/parallel-universe.md): the sources' base URLs, set by the operator only (never
   * by an org, so no member can aim the server's fetches), the fetch timeout and the triage model.
   */
  parallelUniverse: {
    baseUrls: { github: string; arxiv: string; hackerNews: string };
    timeoutMs: number;
    model: string | undefined;
  };
  /**
   * The workflow run engine of this process: off for a process that only serves the API. A worker id that
   * stays the same across restarts lets a restarted process take its own runs back at once.
   */
  workflowEngine: {
    enabled: boolean;
    workerId: string | undefined;
    leaseMs: number;
    sweepMs: number;
    /** How long integration step outputs are kept outside the log (decisions/0052). */
    keptOutputDays: number;
  };
  /** `PROOFPANE_SALESFORCE_*`, `PROOFPANE_GOOGLE_*`, `PROOFPANE_GMAIL_*`, `PROOFPANE_SLACK_*`: the operator's integration clients and hosts. */
  integrationEnv: Record<string, string | undefined>;
  /** The vendors' usual variables (OPENAI_API_KEY, ANTHROPIC_BASE_URL, …): the platform's provider keys. */
  providerEnv: Record<string, string | undefined>;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
const durationSeconds = (text: string) =>
  Number(text.slice(0, -1)) * UNIT_SECONDS[text.slice(-1) as keyof typeof UNIT_SECONDS];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.PROOFPANE_ROLE !== 'all' && !e.DATABASE_URL)
    throw new ConfigError(
      `invalid configuration: PROOFPANE_ROLE ${e.PROOFPANE_ROLE} needs DATABASE_URL (PGlite is one process: run all)`,
    );
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.PROOFPANE_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    projections: e.PROOFPANE_PROJECTIONS,
    role: e.PROOFPANE_ROLE,
    metricsToken: e.PROOFPANE_METRICS_TOKEN,
    backupKey: e.PROOFPANE_BACKUP_KEY,
    eventsPartitions: e.PROOFPANE_EVENTS_PARTITIONS,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    sentryDsn: e.SENTRY_DSN,
    logLevel: e.LOG_LEVEL,
    signingKeySeed: e.PROOFPANE_SIGNING_KEY,
    corsOrigins:
      e.PROOFPANE_CORS_ORIGINS?.split(',')
        .map((o) => o.trim())
        .filter(Boolean) ?? [],
    bodyLimit: e.PROOFPANE_BODY_LIMIT,
    checkpointIntervalMs: e.PROOFPANE_CHECKPOINT_INTERVAL_S * 1000,
    checkpointEveryEvents: e.PROOFPANE_CHECKPOINT_EVERY,
    toolsRoot: e.PROOFPANE_TOOLS_ROOT ? resolve(e.PROOFPANE_TOOLS_ROOT) : undefined,
    jwtSecret: e.PROOFPANE_JWT_SECRET,
    tokenTtlSeconds: durationSeconds(e.PROOFPANE_TOKEN_TTL),
    authRateLimit: e.PROOFPANE_AUTH_RATE_LIMIT,
    scryptCost: e.PROOFPANE_SCRYPT_COST,
    invitationTtlHours: e.PROOFPANE_INVITATION_TTL_HOURS,
    publicUrl: (e.PROOFPANE_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    mailFrom: e.PROOFPANE_MAIL_FROM,
    smtpUrl: e.SMTP_URL,
    masterKey: e.PROOFPANE_MASTER_KEY,
    defaultMaxTokens: e.PROOFPANE_DEFAULT_MAX_TOKENS,
    reservationTtlSeconds: e.PROOFPANE_RESERVATION_TTL_SECONDS,
    anomalyFactor: e.PROOFPANE_ANOMALY_FACTOR,
    priceRefresh: e.PROOFPANE_PRICE_REFRESH === 'on',
    demoLatencyMs: e.PROOFPANE_DEMO_LATENCY_MS,
    coder: {
      maxIterations: e.PROOFPANE_CODER_MAX_ITERATIONS,
      maxTokens: e.PROOFPANE_CODER_MAX_TOKENS,
      maxActive: e.PROOFPANE_CODER_MAX_ACTIVE,
      runTimeoutMs: e.PROOFPANE_CODER_RUN_TIMEOUT_MS,
      model: e.PROOFPANE_CODER_MODEL,
    },
    parallelUniverse: {
      baseUrls: {
        github: e.PROOFPANE_PU_GITHUB_URL,
        arxiv: e.PROOFPANE_PU_ARXIV_URL,
        hackerNews: e.PROOFPANE_PU_HN_URL,
      },
      timeoutMs: e.PROOFPANE_PU_TIMEOUT_MS,
      model: e.PROOFPANE_PU_MODEL,
    },
    workflowEngine: {
      // The loops of the engine and of the capabilities that follow this switch run in worker processes.
      enabled: e.PROOFPANE_WORKFLOW_ENGINE === 'on' && roleRuns(e.PROOFPANE_ROLE, 'worker'),
      workerId: e.PROOFPANE_WORKER_ID,
      leaseMs: e.PROOFPANE_WORKFLOW_LEASE_MS,
      sweepMs: e.PROOFPANE_WORKFLOW_SWEEP_MS,
      keptOutputDays: e.PROOFPANE_WORKFLOW_KEPT_OUTPUT_DAYS,
    },
    providerEnv: {
      OPENAI_API_KEY: e.OPENAI_API_KEY,
      OPENAI_BASE_URL: e.OPENAI_BASE_URL,
      ANTHROPIC_API_KEY: e.ANTHROPIC_API_KEY,
      ANTHROPIC_BASE_URL: e.ANTHROPIC_BASE_URL,
      GEMINI_API_KEY: e.GEMINI_API_KEY,
      GEMINI_BASE_URL: e.GEMINI_BASE_URL,
      DEEPSEEK_API_KEY: e.DEEPSEEK_API_KEY,
      DEEPSEEK_BASE_URL: e.DEEPSEEK_BASE_URL,
      OPENAI_COMPATIBLE_BASE_URL: e.OPENAI_COMPATIBLE_BASE_URL,
      OPENAI_COMPATIBLE_API_KEY: e.OPENAI_COMPATIBLE_API_KEY,
    },
    integrationEnv: Object.fromEntries(
      Object.entries(env).filter(([k]) => /^PROOFPANE_(SALESFORCE|GOOGLE|GMAIL|SLACK)_[A-Z_]+$/.test(k)),
    ),
  };
}
