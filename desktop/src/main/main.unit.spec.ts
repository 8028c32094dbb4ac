import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../shared/contract.js';

const electron = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const handlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
  const windows: { options: Record<string, unknown>; loaded?: string; sent: [string, unknown][] }[] = [];
  let ready: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  type PermissionHandler = (contents: unknown, permission: string, callback: (ok: boolean) => void) => void;
  const session = {
    permissionHandler: undefined as PermissionHandler | undefined,
    setPermissionRequestHandler(handler: PermissionHandler) {
      session.permissionHandler = handler;
    },
    setPermissionCheckHandler() {},
    webRequest: { onHeadersReceived() {}, onBeforeRequest() {} },
  };
  const trays: { menu: { label?: string; click?: () => void }[]; title: string; clicks: (() => void)[] }[] =
    [];
  class Tray {
    readonly record: (typeof trays)[number] = { menu: [], title: '', clicks: [] };
    constructor() {
      trays.push(this.record);
    }
    setImage() {}
    setToolTip() {}
    setTitle(title: string) {
      this.record.title = title;
    }
    setContextMenu(menu: (typeof trays)[number]['menu']) {
      this.record.menu = menu;
    }
    on(_event: string, listener: () => void) {
      this.record.clicks.push(listener);
    }
    destroy() {}
  }
  const closeListeners: ((event: { preventDefault(): void }) => void)[] = [];
  class BrowserWindow {
    readonly record: (typeof windows)[number];
    readonly webContents = {
      send: (channel: string, state: unknown) => this.record.sent.push([channel, state]),
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options, sent: [] };
      windows.push(this.record);
    }
    once() {}
    on(event: string, listener: (event: { preventDefault(): void }) => void) {
      if (event === 'close') closeListeners.push(listener);
    }
    hide() {
      calls.push('hide');
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {}
    focus() {}
    flashFrame() {}
    async loadFile(path: string) {
      this.record.loaded = path;
    }
  }
  const dataDir = { path: '' };
  return {
    calls,
    appListeners,
    handlers,
    windows,
    trays,
    closeListeners,
    session,
    dataDir,
    ready: () => ready(),
    module: {
      app: {
        enableSandbox: () => calls.push('enableSandbox'),
        requestSingleInstanceLock: () => true,
        quit: () => calls.push('quit'),
        on: (event: string, listener: (...args: unknown[]) => void) => appListeners.set(event, listener),
        whenReady: () => whenReady,
        getPath: () => dataDir.path,
      },
      BrowserWindow,
      Tray,
      Menu: { buildFromTemplate: (template: unknown) => template },
      nativeImage: { createFromBitmap: () => ({}) },
      ipcMain: {
        handle: (channel: string, listener: (event: unknown, arg?: unknown) => unknown) =>
          handlers.set(channel, listener),
      },
      Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
      powerMonitor: { on: () => {} },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptString: (s: string) => Buffer.from(s),
        decryptString: (b: Buffer) => b.toString(),
      },
      session: { defaultSession: session },
    },
  };
});

vi.mock('electron', () => electron.module);

const dataDir = mkdtempSync(join(tmpdir(), 'approver-main-'));
electron.dataDir.path = dataDir;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('main process wiring', () => {
  it('starts sandboxed and hardened, opens a locked-down window, answers only its own page and lives in the tray', async () => {
    await import('./main.js');
    expect(electron.calls).toContain('enableSandbox');
    expect(electron.appListeners.has('web-contents-created')).toBe(true);
    electron.ready();
    await expect.poll(() => electron.windows[0]?.sent.length ?? 0).toBeGreaterThan(0);

    const [window] = electron.windows;
    expect(window?.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: expect.stringMatching(/preload[/\\]preload\.cjs$/),
    });
    expect(window?.loaded).toMatch(/renderer[/\\]index\.html$/);
    expect(window?.sent[0]?.[0]).toBe(IPC.state);

    const denied = vi.fn();
    electron.session.permissionHandler?.({}, 'media', denied);
    expect(denied).toHaveBeenCalledWith(false);

    const getState = electron.handlers.get(IPC.getState);
    const own = pathToFileURL(window?.loaded ?? '').href;
    expect(getState?.({ senderFrame: { url: own, parent: null } })).toMatchObject({
      accounts: [],
      pending: [],
    });
    expect(() => getState?.({ senderFrame: { url: 'https://evil.example/', parent: null } })).toThrow(
      /untrusted/,
    );

    const [tray] = electron.trays;
    expect(tray?.menu.map((item) => item.label)).toEqual([
      'No approvals waiting',
      undefined,
      'Open Proofpane Approver',
      'Quit',
    ]);
    const windowsBefore = electron.windows.length;
    tray?.clicks[0]?.();
    expect(electron.windows.length).toBe(windowsBefore);

    let prevented = false;
    electron.closeListeners[0]?.({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(electron.calls).toContain('hide');
    expect(electron.appListeners.has('window-all-closed')).toBe(true);
    electron.appListeners.get('window-all-closed')?.();
    expect(electron.calls).not.toContain('quit');

    tray?.menu.find((item) => item.label === 'Quit')?.click?.();
    expect(electron.calls).toContain('quit');
    electron.appListeners.get('before-quit')?.();
    prevented = false;
    electron.closeListeners[0]?.({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(false);
  });
});
