import { describe, expect, it } from 'vitest';
import type { ApproverState, InboxItem } from '../shared/contract.js';
import { hideOnClose } from './hide-to-tray.js';
import { ApproverTray, type MenuItem, type TrayApis } from './tray.js';
import { type Bitmap, badgeText, drawTrayIcon, pixelAt } from './tray-icon.js';

function fakeTrayApis() {
  const trays: FakeTray[] = [];
  const menus: MenuItem[][] = [];
  class FakeTray {
    image: Bitmap | undefined;
    title = '';
    toolTip = '';
    menu: MenuItem[] = [];
    clicks: (() => void)[] = [];
    destroyed = false;
    constructor(image: unknown) {
      this.image = image as Bitmap;
      trays.push(this);
    }
    setImage(image: unknown) {
      this.image = image as Bitmap;
    }
    setToolTip(text: string) {
      this.toolTip = text;
    }
    setTitle(title: string) {
      this.title = title;
    }
    setContextMenu(menu: unknown) {
      this.menu = menu as MenuItem[];
    }
    on(_event: 'click', listener: () => void) {
      this.clicks.push(listener);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const apis: TrayApis<unknown, unknown> = {
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (template) => {
        menus.push(template);
        return template;
      },
    },
    // The fake image is the bitmap itself, so the spec can read its pixels.
    nativeImage: { createFromBitmap: (buffer, size) => ({ buffer, width: size.width, height: size.height }) },
  };
  return { apis, trays, menus };
}

const item = (n: number, summary = `Delete ${n} rows`): InboxItem => ({
  org: 'org_acme',
  orgName: 'Acme',
  deadline: '2026-03-02T09:01:00Z',
  request: {
    id: `hitl_${n}`,
    kind: 'tool_call',
    subject: `hitl/hitl_${n}`,
    target: 'db.delete',
    risk: 'high',
    summary,
    reason: 'needs a person',
    context: {},
    argsSha256: '0'.repeat(64),
    createdAt: '2026-03-02T09:00:00Z',
    expiresAt: '2026-03-02T09:10:00Z',
    status: 'pending',
    consumed: false,
  },
});

const state = (pending: InboxItem[], repair = false): ApproverState => ({
  accounts: [
    {
      org: 'org_acme',
      orgName: 'Acme',
      serverUrl: 'https://pp.example.com',
      expiresAt: '2026-06-01T00:00:00Z',
      status: repair ? 'repair' : 'connected',
    },
  ],
  pending,
  activity: [],
  countdownSeconds: 60,
});

const RED = [0xd0, 0x21, 0x2f, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];
const labels = (menu: MenuItem[]) => menu.map((m) => m.label ?? m.type);

describe('tray icon', () => {
  it('draws no badge at zero and a red badge with white digits otherwise', () => {
    const idle = drawTrayIcon({ count: 0, size: 32 });
    const busy = drawTrayIcon({ count: 3, size: 32 });
    expect(pixelAt(idle, 27, 27)).not.toEqual(RED);
    expect(pixelAt(busy, 30, 25)).toEqual(RED);
    const badgeArea: number[][] = [];
    for (let y = 16; y < 32; y += 1) for (let x = 16; x < 32; x += 1) badgeArea.push(pixelAt(busy, x, y));
    expect(badgeArea).toContainEqual(WHITE);
    expect(pixelAt(idle, 16, 16)).toEqual([0x1f, 0x5f, 0xbf, 0xff]);
    expect(pixelAt(idle, 0, 0)[3]).toBe(0);
    const three = drawTrayIcon({ count: 3, size: 32 }).buffer;
    const eight = drawTrayIcon({ count: 8, size: 32 }).buffer;
    expect(three.equals(eight)).toBe(false);
  });

  it('says 9+ once the count has two digits', () => {
    expect([badgeText(1), badgeText(9), badgeText(10), badgeText(250)]).toEqual(['1', '9', '9+', '9+']);
  });
});

describe('ApproverTray', () => {
  it('shows the pending count on the icon, title, tooltip and menu, and opens the window on click', () => {
    const { apis, trays } = fakeTrayApis();
    let opened = 0;
    let quit = 0;
    const tray = new ApproverTray({ apis, onOpen: () => (opened += 1), onQuit: () => (quit += 1) });
    const [fake] = trays;
    expect(fake?.title).toBe('');
    expect(labels(fake?.menu ?? [])).toEqual([
      'No approvals waiting',
      'separator',
      'Open Proofpane Approver',
      'Quit',
    ]);

    tray.update(
      state([item(1), item(2, 'Send the quarterly invoice mail to every customer in the EU region')]),
    );
    expect(fake?.title).toBe('2');
    expect(fake?.toolTip).toBe('Proofpane Approver: 2 approvals waiting');
    expect(pixelAt(fake?.image as Bitmap, 30, 25)).toEqual(RED);
    const menu = fake?.menu ?? [];
    expect(labels(menu).slice(0, 3)).toEqual([
      '2 approvals waiting',
      'Acme · high risk · Delete 1 rows',
      expect.stringMatching(/^Acme · high risk · Send the quarterly invoice mail.*…$/),
    ]);
    expect(menu[2]?.label?.length).toBeLessThanOrEqual(60);
    menu[1]?.click?.();
    fake?.clicks[0]?.();
    expect(opened).toBe(2);
    menu.find((m) => m.label === 'Quit')?.click?.();
    expect(quit).toBe(1);
    tray.destroy();
    expect(fake?.destroyed).toBe(true);
  });

  it('lists five requests and counts the rest, names unpaired orgs, and skips redraws that change nothing', () => {
    const { apis, trays, menus } = fakeTrayApis();
    const tray = new ApproverTray({ apis, onOpen: () => {}, onQuit: () => {} });
    const seven = [1, 2, 3, 4, 5, 6, 7].map((n) => item(n));
    tray.update(state(seven, true));
    const menu = trays[0]?.menu ?? [];
    expect(labels(menu)).toEqual([
      '7 approvals waiting',
      ...[1, 2, 3, 4, 5].map((n) => `Acme · high risk · Delete ${n} rows`),
      '…and 2 more',
      'Acme: unpaired — pair again',
      'separator',
      'Open Proofpane Approver',
      'Quit',
    ]);
    expect(trays[0]?.title).toBe('7');
    const built = menus.length;
    tray.update(state(seven, true));
    expect(menus.length).toBe(built);
    tray.update(state([]));
    expect(menus.length).toBe(built + 1);
    expect(trays[0]?.title).toBe('');
    expect(pixelAt(trays[0]?.image as Bitmap, 30, 25)).not.toEqual(RED);
  });
});

describe('hideOnClose', () => {
  it('hides the window instead of closing it, until the app quits', () => {
    let listener: ((event: { preventDefault(): void }) => void) | undefined;
    let hidden = 0;
    let quitting = false;
    hideOnClose({
      window: { on: (_event, l) => (listener = l), hide: () => (hidden += 1) },
      isQuitting: () => quitting,
    });
    let prevented = 0;
    listener?.({ preventDefault: () => (prevented += 1) });
    expect([prevented, hidden]).toEqual([1, 1]);
    quitting = true;
    listener?.({ preventDefault: () => (prevented += 1) });
    expect([prevented, hidden]).toEqual([1, 1]);
  });
});
