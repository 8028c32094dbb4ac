import type { ApproverState } from '../shared/contract.js';
import { type Bitmap, badgeText, drawTrayIcon } from './tray-icon.js';

/** The parts of Electron's `Tray`, `Menu` and `nativeImage` the tray uses, injected so specs pass fakes. */
export interface TrayLike<Image, Built> {
  setImage(image: Image): void;
  setToolTip(text: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: Built): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface MenuItem {
  label?: string;
  type?: 'separator';
  enabled?: boolean;
  click?: () => void;
}

export interface TrayApis<Image, Built> {
  Tray: new (image: Image) => TrayLike<Image, Built>;
  Menu: { buildFromTemplate(template: MenuItem[]): Built };
  nativeImage: {
    createFromBitmap(buffer: Buffer, options: { width: number; height: number; scaleFactor?: number }): Image;
  };
}

const MENU_ITEMS = 5;
const LABEL_CHARS = 60;

const clip = (text: string) => (text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text);
const waiting = (count: number) =>
  count === 0 ? 'No approvals waiting' : `${count} approval${count === 1 ? '' : 's'} waiting`;

/** The menu for a state: what waits (the first five), unpaired orgs, then Open and Quit. */
export function trayMenu(options: {
  state: ApproverState;
  onOpen: () => void;
  onQuit: () => void;
}): MenuItem[] {
  const { state, onOpen, onQuit } = options;
  const items: MenuItem[] = [{ label: waiting(state.pending.length), enabled: false }];
  for (const item of state.pending.slice(0, MENU_ITEMS))
    items.push({
      label: clip(`${item.orgName} · ${item.request.risk} risk · ${item.request.summary}`),
      click: onOpen,
    });
  if (state.pending.length > MENU_ITEMS)
    items.push({ label: `…and ${state.pending.length - MENU_ITEMS} more`, click: onOpen });
  const unpaired = state.accounts.filter((a) => a.status === 'repair');
  for (const account of unpaired)
    items.push({ label: clip(`${account.orgName}: unpaired — pair again`), click: onOpen });
  items.push(
    { type: 'separator' },
    { label: 'Open Proofpane Approver', click: onOpen },
    { label: 'Quit', click: onQuit },
  );
  return items;
}

/**
 * The approver in the system tray: the pending count drawn on its icon (and as its title where the
 * platform shows one, macOS), the pending requests in its menu, the window on click.
 */
export class ApproverTray<Image = unknown, Built = unknown> {
  readonly #apis: TrayApis<Image, Built>;
  readonly #tray: TrayLike<Image, Built>;
  readonly #onOpen: () => void;
  readonly #onQuit: () => void;
  #shown: string | undefined;

  constructor(options: { apis: TrayApis<Image, Built>; onOpen: () => void; onQuit: () => void }) {
    this.#apis = options.apis;
    this.#onOpen = options.onOpen;
    this.#onQuit = options.onQuit;
    this.#tray = new options.apis.Tray(this.#image(0));
    this.#tray.on('click', () => this.#onOpen());
    this.update({ accounts: [], pending: [], activity: [], countdownSeconds: 0 });
  }

  /** Redraws for a new state; a state that looks the same leaves the icon and menu alone. */
  update(state: ApproverState): void {
    const menu = trayMenu({ state, onOpen: this.#onOpen, onQuit: this.#onQuit });
    const count = state.pending.length;
    const signature = JSON.stringify([count, menu.map((item) => item.label ?? '-')]);
    if (signature === this.#shown) return;
    this.#shown = signature;
    this.#tray.setImage(this.#image(count));
    this.#tray.setTitle(count > 0 ? badgeText(count) : '');
    this.#tray.setToolTip(`Proofpane Approver: ${waiting(count).toLowerCase()}`);
    this.#tray.setContextMenu(this.#apis.Menu.buildFromTemplate(menu));
  }

  destroy(): void {
    this.#tray.destroy();
  }

  #image(count: number): Image {
    const bitmap: Bitmap = drawTrayIcon({ count, size: 32 });
    return this.#apis.nativeImage.createFromBitmap(bitmap.buffer, {
      width: bitmap.width,
      height: bitmap.height,
      scaleFactor: 2,
    });
  }
}
