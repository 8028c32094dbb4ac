import { mkdirSync } from 'node:fs';
import { executeTool, openRoot, type Root, type ToolOutcome } from '@proofpane/daemon';
import type { DeviceHub } from '../devices/hub.js';

/** Where a tool call runs: in this process (cloud-only mode) or on a paired daemon. */
export interface ToolRuntime {
  readonly kind: 'local' | 'remote';
  readonly deviceId?: string;
  execute(options: { tool: string; args: unknown; signal?: AbortSignal }): Promise<ToolOutcome>;
}

/** Tools in the server process, confined to one folder, with the daemon's own implementation. */
export class LocalToolRuntime implements ToolRuntime {
  readonly kind = 'local';
  private root: Promise<Root> | undefined;

  constructor(private readonly rootDir: string) {}

  execute(options: { tool: string; args: unknown; signal?: AbortSignal }): Promise<ToolOutcome> {
    this.root ??= (async () => {
      mkdirSync(this.rootDir, { recursive: true });
      return openRoot(this.rootDir);
    })();
    return this.root.then((root) =>
      executeTool(options.tool, options.args, {
        root,
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
  }
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
