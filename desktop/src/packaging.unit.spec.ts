import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const desktopDir = fileURLToPath(new URL('..', import.meta.url));

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, extra: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
}

async function load(): Promise<{ config: ConfigModule; logger: unknown }> {
  const config = (await import('app-builder-lib/out/util/config/config.js' as string)) as ConfigModule;
  const util = (await import('builder-util' as string)) as { DebugLogger: new (enabled: boolean) => unknown };
  return { config, logger: new util.DebugLogger(false) };
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { config, logger } = await load();
    const loaded = await config.getConfig(desktopDir, 'electron-builder.yml', null);
    await expect(config.validateConfiguration(loaded, logger)).resolves.toBeUndefined();
    expect(loaded).toMatchObject({ appId: 'com.proofpane.approver', asar: true });
    expect(JSON.stringify(loaded['files'])).toContain('dist/**/*');
  });

  it('would reject a misspelt option, so the check above means something', async () => {
    const { config, logger } = await load();
    const loaded = await config.getConfig(desktopDir, 'electron-builder.yml', null);
    await expect(config.validateConfiguration({ ...loaded, appIdd: 'x' }, logger)).rejects.toThrow(/appIdd/);
  });
});
