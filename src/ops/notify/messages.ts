/**
 * A notification's words in the person's language (vi, en; English for others), whole sentences
 * from locales/<lang>/notifications.json with the values kept at the time of the event, and the
 * absolute link to the desk page to act on. A digest lists several such sentences under one subject.
 */
import type { i18n } from 'i18next';
import type { NotificationRow } from '../../store/schema-notifications.ts';

export interface Words { subject: string; text: string; link: string }

export function wordsOf(i18n: i18n, locale: string, publicUrl: string, n: Pick<NotificationRow, 'event' | 'params' | 'link'>): Words {
  const t = i18n.getFixedT(locale, 'notifications');
  const params = worded(i18n, locale, n.params);
  return { subject: t(`${n.event}.subject`, params), text: t(`${n.event}.text`, params), link: `${publicUrl}${n.link}` };
}

/**
 * A value kept as a locale key (`<name>_key`, with `<name>_values`: a source's failure) is worded in
 * the person's language; the English kept under `<name>` stands where there is no key (older rows).
 */
function worded(i18n: i18n, locale: string, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const [name, key] of Object.entries(params)) {
    const m = /^(\w+)_key$/.exec(name);
    if (!m || typeof key !== 'string' || !key) continue;
    const values = params[`${m[1]}_values`];
    out[m[1]!] = i18n.t(key, { lng: locale, ...(values && typeof values === 'object' ? values : {}) });
  }
  return out;
}

/** One message for several notifications of one person: each sentence with its own link. */
export function digestOf(i18n: i18n, locale: string, publicUrl: string, rows: readonly Pick<NotificationRow, 'event' | 'params' | 'link'>[]): Words {
  if (rows.length === 1) return wordsOf(i18n, locale, publicUrl, rows[0]!);
  const t = i18n.getFixedT(locale, 'notifications');
  const parts = rows.map((r) => wordsOf(i18n, locale, publicUrl, r));
  return {
    subject: t('digest.subject', { count: rows.length }),
    text: [t('digest.intro'), ...parts.map((p) => `• ${p.text}\n  ${p.link}`)].join('\n\n'),
    link: `${publicUrl}/ui/notifications`,
  };
}
