/**
 * The HTTP contract of the `/api` routes that the console and the desktop approver call: each
 * capability's request and response schemas and the types inferred from them. The server
 * validates and documents with these schemas; clients type their calls with them.
 */
export * from './audit.js';
export * from './budget.js';
export * from './coder.js';
export * from './compliance.js';
export * from './connect.js';
export * from './cost.js';
export * from './cross-vendor-evals.js';
export * from './dlp.js';
export * from './documents.js';
export * from './evolution.js';
export * from './hitl.js';
export * from './identity.js';
export * from './integrations.js';
export * from './multi-agent.js';
export * from './parallel-universe.js';
export * from './policy.js';
export * from './problem.js';
export * from './quality.js';
export * from './quality-drift.js';
export * from './quality-judge.js';
export * from './runs.js';
export * from './skills.js';
export * from './use-cases.js';
export * from './workflow-ai-builder.js';
export * from './workflow-runs.js';
export * from './workflows.js';
