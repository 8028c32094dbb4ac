export * from './cost/index.js';
export * from './dlp/index.js';
export * from './hitl/index.js';
export * from './identity/index.js';
export * from './policy/index.js';
export * from './providers/index.js';
