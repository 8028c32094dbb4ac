import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '@proofpane/core';
import type { TestDriver } from '@proofpane/core/testing';
import { startFakeAnthropic, startFakeOpenAI } from '../../../../commands/src/testing/index.js';
import {
  type Account,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../../identity/testing/identity-test-app.js';
import type { TestApp } from '../../testing/test-app.js';

/** The parts of a fake vendor server the specs use (commands' testing fakes fit it). */
export interface Upstream {
  url: string;
  requests: { headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }[];
  script(...replies: Record<string, unknown>[]): void;
  close(): Promise<void>;
}

export interface GatewayTestApp extends TestApp {
  /** `http://127.0.0.1:<port>` of the listening app. */
  url: string;
  openai: Upstream;
  anthropic: Upstream;
  account: Account;
  /** An admin API key of `account`'s org. */
  key: string;
  /** Events of one type in an org, oldest first. */
  events(org: string, type: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

export const PLATFORM_OPENAI_KEY = 'sk-platform-openai-test-key';

/**
 * The whole app listening on a port; its upstreams are the given fake OpenAI and Anthropic servers, or
 * fresh ones of commands' testing fakes.
 */
export async function createGatewayTestApp(options: {
  driver: TestDriver;
  openai?: Upstream;
  anthropic?: Upstream;
  env?: Record<string, string>;
}): Promise<GatewayTestApp> {
  const openai = options.openai ?? (await startFakeOpenAI());
  const anthropic = options.anthropic ?? (await startFakeAnthropic());
  const test = await createIdentityTestApp({
    driver: options.driver,
    env: {
      OPENAI_API_KEY: PLATFORM_OPENAI_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-platform-test-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      PROOFPANE_PRICE_REFRESH: 'off',
      ...options.env,
    },
  });
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = test.app.server.address() as AddressInfo;
  const account = await registerAccount(test.app);
  const { key } = await createKey(test.app, { token: account.token, role: 'admin' });
  const events = async (org: string, type: string) =>
    (await test.runtime.store.readOrg({ org })).filter((e) => e.type === type);
  return {
    ...test,
    url: `http://127.0.0.1:${port}`,
    openai,
    anthropic,
    account,
    key,
    events,
    close: async () => {
      await test.dispose();
      await openai.close();
      await anthropic.close();
    },
  };
}
