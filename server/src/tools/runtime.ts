import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { executeTool, openRoot, type Root, type ToolOutcome } from '@proofpane/daemon';
import type { DeviceHub } from '../devices/hub.js';

/** Where a tool call runs: in this process (cloud-only mode) or on a paired daemon. */
export interface ToolRuntime {
  readonly kind: 'local' | 'remote';
  readonly deviceId?: string;
  execute(options: { tool: string; args: unknown; signal?: AbortSignal }): Promise<ToolOutcome>;
}

const ORG_DIR_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * In-process tools (cloud-only mode): each org gets its own workspace, a folder named by its id under
 * `workspacesDir` and never shared. File tools are confined to it (`..` and symlinks resolved against it);
 * `bash` runs only inside the bubblewrap workspace sandbox, where nothing but that folder is visible.
 */
export class LocalWorkspaces {
  private readonly roots = new Map<string, Promise<Root>>();

  constructor(private readonly workspacesDir: string) {}

  /** The org's workspace folder, derived from its id alone. */
  dirOf(org: string): string {
    if (!ORG_DIR_NAME.test(org)) throw new Error(`org id ${JSON.stringify(org)} cannot name a workspace`);
    return join(this.workspacesDir, org);
  }

  forOrg(org: string): ToolRuntime {
    return {
      kind: 'local',
      execute: async (options) =>
        executeTool(options.tool, options.args, {
          root: await this.rootOf(org),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
    };
  }

  private rootOf(org: string): Promise<Root> {
    let root = this.roots.get(org);
    if (!root) {
      const dir = this.dirOf(org);
      root = (async () => {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        return openRoot(dir, { sandbox: { kind: 'workspace' } });
      })();
      root.catch(() => this.roots.delete(org));
      this.roots.set(org, root);
    }
    return root;
  }
}

/**
 * Where the org workspaces live: `PROOFPANE_TOOLS_ROOT`, else `<dataDir>/workspaces`. A folder that holds
 * the data dir (keys, database) is refused, so no workspace can ever be an ancestor of them.
 */
export function workspacesDir(options: { toolsRoot: string | undefined; dataDir: string }): string {
  const dir = resolve(options.toolsRoot ?? join(options.dataDir, 'workspaces'));
  const data = resolve(options.dataDir);
  const rel = relative(dir, data);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new Error(`PROOFPANE_TOOLS_ROOT (${dir}) must not contain the data directory (${data})`);
  }
  return dir;
}

/** Tools routed to a paired `proofpane-daemon run` over its WebSocket. */
export class RemoteToolRuntime implements ToolRuntime {
  readonly kind = 'remote';

  constructor(
    private readonly options: { hub: DeviceHub; org: string; deviceId: string; timeoutMs: number },
  ) {}

  get deviceId() {
    return this.options.deviceId;
  }

  execute(options: { tool: string; args: unknown }): Promise<ToolOutcome> {
    return this.options.hub.call({
      deviceId: this.options.deviceId,
      org: this.options.org,
      tool: options.tool,
      args: options.args,
      timeoutMs: this.options.timeoutMs,
    });
  }
}
