/**
 * The events people can be told of, whether each is urgent (urgent ones go out at once, even in
 * quiet hours and outside digests), and who may ask for it. One list for the store, the sender
 * and the preferences page.
 */
import type { Role } from './person.ts';

export const notificationEvents = [
  'priority_story', 'sent_back', 'approved', 'deadline_soon', 'deadline_passed', 'channel_broken', 'post_unknown', 'source_failing',
  'quota_reached', 'budget_reached', 'watch_match',
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

interface EventRule { urgent: boolean; role: Role }

const rules: Record<NotificationEvent, EventRule> = {
  priority_story: { urgent: true, role: 'translator' },
  sent_back: { urgent: false, role: 'translator' },
  approved: { urgent: false, role: 'translator' },
  deadline_soon: { urgent: true, role: 'translator' },
  deadline_passed: { urgent: true, role: 'translator' },
  channel_broken: { urgent: true, role: 'admin' },
  post_unknown: { urgent: false, role: 'admin' },
  source_failing: { urgent: false, role: 'admin' },
  quota_reached: { urgent: true, role: 'admin' },
  budget_reached: { urgent: true, role: 'admin' },
  watch_match: { urgent: true, role: 'editor' },
};

export const isUrgent = (event: NotificationEvent): boolean => rules[event].urgent;

/** The lowest role that may ask for the event (an admin may ask for all). */
export const roleFor = (event: NotificationEvent): Role => rules[event].role;

export const isNotificationEvent = (value: string): value is NotificationEvent => (notificationEvents as readonly string[]).includes(value);
