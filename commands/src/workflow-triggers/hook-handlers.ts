import type { Actor, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { type HookCommand, hookDecider, hookSubject } from './hook-decide.js';

/** A hook command folded and appended at the version read; the hook row goes in `inline`. */
export const handleHookCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: HookCommand;
  inline?: InlineWrite | undefined;
}) =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: hookSubject(options.command.hookId),
    decider: hookDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });
