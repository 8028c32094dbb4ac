import { describe, expect, it, vi } from 'vitest';
import {
  hardenWebContents,
  installAppGuards,
  installSessionGuards,
  isTrustedSender,
  type PreventableEvent,
  RENDERER_CSP,
  type SessionLike,
  secureWebPreferences,
  type WebContentsLike,
} from './security.js';

const PAGE = 'file:///opt/Proofpane/resources/app.asar/dist/renderer/index.html';

function fakeSession() {
  const captured: {
    request?: (c: unknown, p: string, cb: (granted: boolean) => void) => void;
    check?: () => boolean;
    headers?: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
    block?: {
      filter: { urls: string[] };
      listener: Parameters<SessionLike['webRequest']['onBeforeRequest']>[1];
    };
  } = {};
  const session: SessionLike = {
    setPermissionRequestHandler: (handler) => {
      captured.request = handler ?? undefined;
    },
    setPermissionCheckHandler: (handler) => {
      captured.check = handler ?? undefined;
    },
    webRequest: {
      onHeadersReceived: (listener) => {
        captured.headers = listener;
      },
      onBeforeRequest: (filter, listener) => {
        captured.block = { filter, listener };
      },
    },
  };
  return { session, captured };
}

function fakeContents() {
  const listeners = new Map<string, (event: PreventableEvent) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event, listener) => {
      listeners.set(event, listener);
    },
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  };
  const fire = (name: string) => {
    const event = { preventDefault: vi.fn() };
    listeners.get(name)?.(event);
    return event.preventDefault.mock.calls.length;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('renderer hardening', () => {
  it('turns on isolation and the sandbox and keeps Node out of the renderer', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('has a CSP with no inline script, no eval and no network', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).toContain("connect-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('trusts only the top frame of its own page', () => {
    expect(isTrustedSender({ url: PAGE, parent: null }, PAGE)).toBe(true);
    expect(isTrustedSender({ url: `${PAGE}#activity`, parent: null }, PAGE)).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.example/index.html', parent: null }, PAGE)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html', parent: null }, PAGE)).toBe(false);
    expect(isTrustedSender({ url: PAGE, parent: { url: PAGE } }, PAGE)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, PAGE)).toBe(false);
    expect(isTrustedSender(null, PAGE)).toBe(false);
  });
});

describe('session guards', () => {
  it('denies every permission request and check', () => {
    const { session, captured } = fakeSession();
    installSessionGuards(session);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      captured.request?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(captured.check?.()).toBe(false);
  });

  it('adds the CSP header and cancels renderer network requests', () => {
    const { session, captured } = fakeSession();
    installSessionGuards(session);
    const headers = vi.fn();
    captured.headers?.({ responseHeaders: { 'X-Other': ['1'] } }, headers);
    expect(headers).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [RENDERER_CSP] },
    });
    expect(captured.block?.filter.urls).toEqual(expect.arrayContaining(['https://*/*', 'wss://*/*']));
    const cancel = vi.fn();
    captured.block?.listener({ url: 'https://tracker.example/x.js' }, cancel);
    expect(cancel).toHaveBeenCalledWith({ cancel: true });
  });
});

describe('navigation guards', () => {
  it('blocks navigation, redirects, webviews and new windows', () => {
    const { contents, fire, open } = fakeContents();
    hardenWebContents(contents);
    expect(fire('will-navigate')).toBe(1);
    expect(fire('will-redirect')).toBe(1);
    expect(fire('will-attach-webview')).toBe(1);
    expect(open('https://phish.example')).toEqual({ action: 'deny' });
  });

  it('hardens every web contents the app creates', () => {
    let created: ((event: unknown, contents: WebContentsLike) => void) | undefined;
    installAppGuards({
      on: (_name, listener) => {
        created = listener;
      },
    });
    const { contents, fire } = fakeContents();
    created?.({}, contents);
    expect(fire('will-navigate')).toBe(1);
  });
});
