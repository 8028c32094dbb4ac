/**
 * Layering and cycles (docs/architecture.md, "Packages"): evidence-verifier ← core ← commands,
 * projections ← server; daemon, web and desktop import nothing of the server side. api, the HTTP
 * contract, sits under everything and imports nothing of ours.
 */
const pkg = (name) => `^${name}/(src|test|bin)/`;
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: split the shared part out.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    forbid(
      'api-is-the-contract-only',
      pkg('api'),
      '^(evidence-verifier|core|commands|projections|server|daemon|web|desktop)/',
      'The HTTP contract is shared by the server and its clients, so it may depend on none of them.',
    ),
    {
      name: 'api-runs-in-browsers',
      comment:
        'The console and the desktop renderer bundle the contract: no Node built-ins (its specs aside). api/src/imports.unit.spec.ts keeps its libraries to zod.',
      severity: 'error',
      from: { path: '^api/src/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    forbid(
      'verifier-stands-alone',
      // Its tests may build packs with core to verify them; the verifier itself may not.
      '^evidence-verifier/(src|bin)/',
      '^(core|commands|projections|server|daemon|web|desktop)/',
      'The offline verifier an auditor runs imports nothing of the server side.',
    ),
    forbid(
      'core-is-the-bottom',
      pkg('core'),
      '^(commands|projections|server|daemon|web|desktop)/',
      'core holds the event model and store; nothing above it may leak in.',
    ),
    forbid(
      'write-side-below-server',
      pkg('commands'),
      '^(projections|server|daemon|web|desktop)/',
      'commands decides and appends; it knows no HTTP and no read model.',
    ),
    forbid(
      'read-side-below-server',
      pkg('projections'),
      '^(commands|server|daemon|web|desktop)/',
      'projections read events; they decide nothing.',
    ),
    forbid(
      'daemon-stands-alone',
      pkg('daemon'),
      '^(core|commands|projections|server|web|desktop)/',
      'The daemon runs on user machines and speaks to the server over the wire only.',
    ),
    forbid(
      'clients-speak-http',
      '^(web|desktop)/',
      '^(core|commands|projections|server|daemon)/src/',
      'The console and the desktop approver talk to the server over HTTP, SSE and WebSocket only.',
    ),
    // Server capabilities (docs/architecture.md, "Server"): one fastify plugin each; a capability
    // that needs another's services takes them as decorations and names it in `dependencies`.
    forbid(
      'auth-knows-no-identity',
      '^server/src/auth/',
      '^server/src/identity/',
      'Authentication declares the lookups it needs (auth/identity-port.ts) and identity provides them; importing identity back would loop, since identity routes use requireRole.',
    ),
    forbid(
      'devices-register-no-tools-or-mcp',
      '^server/src/devices/',
      '^server/src/(mcp|tools)/',
      'The tools and MCP plugins depend on devices, not the other way round: devices exposes its hub, service and token check as decorations.',
    ),
    {
      name: 'tools-and-mcp-use-devices-by-decoration',
      comment:
        'Tools and MCP reach the device hub, service and token check through app.devices; only types may be imported from server/src/devices.',
      severity: 'error',
      from: { path: '^server/src/(mcp|tools)/' },
      to: { path: '^server/src/devices/', dependencyTypesNot: ['type-only'] },
    },
    forbid(
      'route-plumbing-lives-in-http',
      '^server/src/(?!identity/)',
      '^server/src/identity/routes/',
      "Shared route options (bearer security, rate limits, params) live in server/src/http; identity route schemas are identity's own.",
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.svelte-kit|build)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
