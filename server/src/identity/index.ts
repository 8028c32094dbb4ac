export type { IdentityContext } from './context.js';
export { identityPlugin } from './plugin.js';
