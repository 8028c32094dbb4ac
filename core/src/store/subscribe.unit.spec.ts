import { describe, expect, it } from 'vitest';
import { CommitSignal } from './subscribe.js';

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('CommitSignal', () => {
  it('wakes a reader of some types only for commits holding one of them', async () => {
    const signal = new CommitSignal();
    const seen = signal.generation;
    const hitl = signal.wait(60_000, seen, ['cp.hitl.requested']);
    const everything = signal.wait(60_000, seen);
    signal.notify('1.1', new Set(['cp.llm.call.completed']));
    expect(await settled(everything)).toBe(true);
    expect(await settled(hitl)).toBe(false);
    signal.notify('1.2', new Set(['cp.llm.call.completed', 'cp.hitl.requested']));
    expect(await settled(hitl)).toBe(true);
  });

  it('answers at once when a commit of the types landed since the generation the reader saw', async () => {
    const signal = new CommitSignal();
    const seen = signal.generation;
    signal.notify('1.1', new Set(['cp.hitl.requested']));
    signal.notify('1.2', new Set(['cp.llm.call.completed']));
    expect(await settled(signal.wait(60_000, seen, ['cp.hitl.requested']))).toBe(true);
    expect(await settled(signal.wait(60_000, signal.generation - 1, ['cp.hitl.requested']))).toBe(false);
  });

  it('wakes every reader on a notice without types (closing) and after the timeout', async () => {
    const signal = new CommitSignal();
    const typed = signal.wait(60_000, signal.generation, ['cp.hitl.requested']);
    signal.notify();
    expect(await settled(typed)).toBe(true);
    const started = performance.now();
    await signal.wait(20, signal.generation, ['cp.hitl.requested']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('tells a reader of some types the newest commit of those types only', () => {
    const signal = new CommitSignal();
    signal.notify('5.1', new Set(['cp.hitl.requested']));
    signal.notify('9.1', new Set(['cp.llm.call.completed']));
    expect(signal.latestOf(['cp.hitl.requested'])).toBe('5.1');
    expect(signal.latestOf(['cp.hitl.requested', 'cp.llm.call.completed'])).toBe('9.1');
    expect(signal.latestOf(['cp.run.started'])).toBeUndefined();
    expect(signal.latestOf(undefined)).toBe('9.1');
  });
});
