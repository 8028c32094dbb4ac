import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  powerMonitor,
  safeStorage,
  session,
  Tray,
} from 'electron';
import { IPC } from '../shared/contract.js';
import { accountFileIn } from './account-file.js';
import { Approver } from './approver.js';
import { countdownSeconds } from './countdown.js';
import { hideOnClose } from './hide-to-tray.js';
import { registerIpcHandlers } from './ipc.js';
import { notifyArrivals } from './notifier.js';
import { installAppGuards, installSessionGuards, secureWebPreferences } from './security.js';
import { eventSourceFactory } from './sse-connection.js';
import { TokenVault } from './token-vault.js';
import { ApproverTray } from './tray.js';

const pagePath = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const trustedUrl = pathToFileURL(pagePath).href;

app.enableSandbox();
installAppGuards(app);
if (!app.requestSingleInstanceLock()) app.quit();

let window: BrowserWindow | undefined;
let tray: ApproverTray<Electron.NativeImage | string, Electron.Menu | null> | undefined;
let quitting = false;

function showWindow(): BrowserWindow {
  if (!window || window.isDestroyed()) {
    window = new BrowserWindow({
      width: 520,
      height: 720,
      show: false,
      title: 'Proofpane Approver',
      webPreferences: secureWebPreferences(preloadPath),
    });
    window.once('ready-to-show', () => window?.show());
    hideOnClose({ window, isQuitting: () => quitting });
    void window.loadFile(pagePath);
  }
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return window;
}

app.on('second-instance', () => showWindow());

app.whenReady().then(async () => {
  installSessionGuards(session.defaultSession);
  const approver = new Approver({
    vault: new TokenVault({
      safeStorage,
      platform: process.platform,
      file: accountFileIn(app.getPath('userData')),
    }),
    fetch: (input, init) => fetch(input, init),
    eventSource: eventSourceFactory((input, init) => fetch(input, init)),
    scheduler: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) },
    now: () => new Date(),
    countdownSeconds: countdownSeconds(process.env['PROOFPANE_APPROVER_COUNTDOWN_SECONDS']),
    onArrived: (items) => {
      const shown = showWindow();
      shown.flashFrame(true);
      notifyArrivals({ Notification, items, onClick: () => showWindow() });
    },
    onChange: (state) => {
      tray?.update(state);
      if (window && !window.isDestroyed()) window.webContents.send(IPC.state, state);
    },
  });
  tray = new ApproverTray({
    apis: { Tray, Menu, nativeImage },
    onOpen: () => showWindow(),
    onQuit: () => app.quit(),
  });
  registerIpcHandlers({ ipcMain, approver, trustedUrl });
  powerMonitor.on('resume', () => void approver.reconcileAll());
  app.on('before-quit', () => {
    quitting = true;
    approver.stop();
    tray?.destroy();
  });
  app.on('activate', () => showWindow());
  showWindow();
  await approver.start();
});

// The approver lives in the tray: closing its last window does not quit it.
app.on('window-all-closed', () => {});
