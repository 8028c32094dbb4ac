/** Reported in the `hello` message and by `--version`; kept in step with package.json. */
export const DAEMON_VERSION = '0.1.0';
