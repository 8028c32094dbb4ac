import type { InboxItem } from '../shared/contract.js';

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface NotificationConstructorLike {
  new (options: {
    title: string;
    body: string;
    urgency?: 'normal' | 'critical' | 'low';
    timeoutType?: 'default' | 'never';
  }): NotificationLike;
  isSupported(): boolean;
}

const SINGLE_LIMIT = 3;

/** The words of the native notification: one per request, or one summary when many arrive at once. */
export function notificationTexts(items: InboxItem[]): { title: string; body: string }[] {
  if (items.length > SINGLE_LIMIT) {
    const orgs = [...new Set(items.map((item) => item.orgName))].join(', ');
    return [{ title: `${items.length} approvals needed`, body: `From ${orgs}.` }];
  }
  return items.map((item) => ({
    title: `Approval needed · ${item.orgName}`,
    body: `${item.request.summary} (${item.request.risk} risk)`,
  }));
}

/** Raises native notifications; clicking one brings the approval window forward. */
export function notifyArrivals(options: {
  Notification: NotificationConstructorLike;
  items: InboxItem[];
  onClick: () => void;
}): number {
  if (!options.Notification.isSupported()) return 0;
  const texts = notificationTexts(options.items);
  for (const text of texts) {
    const notification = new options.Notification({ ...text, urgency: 'critical', timeoutType: 'never' });
    notification.on('click', options.onClick);
    notification.show();
  }
  return texts.length;
}
