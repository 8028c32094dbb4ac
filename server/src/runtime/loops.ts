import type { Database } from '@proofpane/core';
import { type LoopLeases, openLoopLeases } from './loop-lease.js';
import { type Duty, type ProcessRole, roleRuns } from './roles.js';

/** What a started loop hands back. */
export interface RunningLoop {
  stop(): Promise<void> | void;
}

/**
 * A background loop, registered by the capability that owns it (docs/architecture.md, "Background
 * loops"). `scope: 'once'` loops run in one process of the deployment, the holder of their lease;
 * `'each'` loops run in every process of their duty (they coordinate through their own events).
 */
export interface LoopDefinition {
  name: string;
  duty: Extract<Duty, 'worker' | 'api'>;
  scope: 'once' | 'each';
  start(): RunningLoop;
}

export interface LoopState {
  name: string;
  duty: LoopDefinition['duty'];
  scope: LoopDefinition['scope'];
  /** `standby`: another process holds its lease; `off`: this process's role does not run it. */
  state: 'running' | 'standby' | 'off';
}

/**
 * The one place background loops are registered by role. Plugins call `register` while the app is
 * built; `start` runs after every plugin's `onReady`, so loops find the read models running. A
 * standby process asks for the leases it lacks every `retryMs`, so a dead holder's loops move over.
 */
export class LoopRegistry {
  private readonly definitions: LoopDefinition[] = [];
  private readonly running = new Map<string, RunningLoop>();
  private leases: LoopLeases | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private started = false;
  private stopped = false;

  constructor(
    private readonly options: {
      role: ProcessRole;
      database: Database;
      retryMs?: number;
      onError(error: unknown, loop: string): void;
    },
  ) {}

  register(definition: LoopDefinition): void {
    if (this.definitions.some((d) => d.name === definition.name))
      throw new Error(`loop ${definition.name} is registered twice`);
    this.definitions.push(definition);
    if (this.started) void this.tick();
  }

  states(): LoopState[] {
    return this.definitions.map((d) => ({
      name: d.name,
      duty: d.duty,
      scope: d.scope,
      state: !this.mine(d) ? 'off' : this.running.has(d.name) ? 'running' : 'standby',
    }));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.retryMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await this.stopAll(() => true);
    await this.leases?.close();
  }

  private mine(definition: LoopDefinition): boolean {
    return roleRuns(this.options.role, definition.duty);
  }

  private tick(): Promise<void> {
    this.ticking ??= this.reconcile().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const leased = this.definitions.filter((d) => this.mine(d) && d.scope === 'once');
    if (leased.length > 0) {
      this.leases ??= openLoopLeases(this.options.database);
      // A lost session lost its locks: another process may already run those loops.
      if (!(await this.leases.alive())) await this.stopAll((d) => d.scope === 'once');
    }
    for (const definition of this.definitions) {
      if (this.stopped || !this.mine(definition) || this.running.has(definition.name)) continue;
      try {
        if (definition.scope === 'once' && !(await this.leases!.tryAcquire(definition.name))) continue;
        this.running.set(definition.name, definition.start());
      } catch (error) {
        this.options.onError(error, definition.name);
      }
    }
  }

  private async stopAll(which: (d: LoopDefinition) => boolean): Promise<void> {
    const stopping = this.definitions.filter((d) => which(d) && this.running.has(d.name));
    await Promise.all(
      stopping.map(async (d) => {
        const loop = this.running.get(d.name)!;
        this.running.delete(d.name);
        try {
          await loop.stop();
        } catch (error) {
          this.options.onError(error, d.name);
        }
      }),
    );
  }
}
