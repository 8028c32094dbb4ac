/**
 * Electron's security checklist, in code: the renderer's web preferences, its CSP, the session's
 * permission and network guards, and navigation / new-window blocking. The parameters are the
 * narrow slices of Electron's API each guard touches, so specs pass fakes.
 */

/** The renderer needs nothing beyond its own files: no network, no inline code, no framing. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

export interface FrameLike {
  url: string;
  parent?: unknown;
}

/**
 * IPC sender validation: only the top frame of our own renderer page may call. The page is a
 * local file, so anything else (another file, a remote page, an iframe) is refused.
 */
export function isTrustedSender(frame: FrameLike | null | undefined, trustedUrl: string): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  let sender: URL;
  let trusted: URL;
  try {
    sender = new URL(frame.url);
    trusted = new URL(trustedUrl);
  } catch {
    return false;
  }
  return (
    sender.protocol === trusted.protocol &&
    sender.host === trusted.host &&
    sender.pathname === trusted.pathname
  );
}

type PermissionCallback = (granted: boolean) => void;
type HeadersCallback = (response: { responseHeaders?: Record<string, string | string[]> }) => void;
type RequestCallback = (response: { cancel?: boolean }) => void;

export interface SessionLike {
  setPermissionRequestHandler(
    handler: ((contents: unknown, permission: string, callback: PermissionCallback) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: (() => boolean) | null): void;
  webRequest: {
    onHeadersReceived(
      listener: (details: { responseHeaders?: Record<string, string[]> }, callback: HeadersCallback) => void,
    ): void;
    onBeforeRequest(
      filter: { urls: string[] },
      listener: (details: { url: string }, callback: RequestCallback) => void,
    ): void;
  };
}

/** Denies every permission prompt and check, adds the CSP header, and keeps the renderer off the network. */
export function installSessionGuards(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_d, cb) => cb({ cancel: true }),
  );
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: PreventableEvent) => void,
  ): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** No navigation away from the app page, no redirects, no webviews, no new windows. */
export function hardenWebContents(contents: WebContentsLike): void {
  const block = (event: PreventableEvent) => event.preventDefault();
  contents.on('will-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', block);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): void;
}

/** Hardens every web contents the app ever creates, not only the main window's. */
export function installAppGuards(app: AppLike): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
