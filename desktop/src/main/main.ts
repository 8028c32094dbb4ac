import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Notification, powerMonitor, safeStorage, session } from 'electron';
import { IPC } from '../shared/contract.js';
import { accountFileIn } from './account-file.js';
import { Approver } from './approver.js';
import { countdownSeconds } from './countdown.js';
import { registerIpcHandlers } from './ipc.js';
import { notifyArrivals } from './notifier.js';
import { installAppGuards, installSessionGuards, secureWebPreferences } from './security.js';
import { eventSourceFactory } from './sse-connection.js';
import { TokenVault } from './token-vault.js';

const pagePath = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const trustedUrl = pathToFileURL(pagePath).href;

app.enableSandbox();
installAppGuards(app);
if (!app.requestSingleInstanceLock()) app.quit();

let window: BrowserWindow | undefined;

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
      if (window && !window.isDestroyed()) window.webContents.send(IPC.state, state);
    },
  });
  registerIpcHandlers({ ipcMain, approver, trustedUrl });
  powerMonitor.on('resume', () => void approver.reconcileAll());
  app.on('before-quit', () => approver.stop());
  app.on('activate', () => showWindow());
  showWindow();
  await approver.start();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
