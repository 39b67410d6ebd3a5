/**
 * i18next over locales/<lang>/<namespace>.json, loaded once at start. Feed titles, correction
 * notes and UI strings are looked up here in the audience's or the person's language.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';

export type Translate = TFunction;

export async function createI18n(localesDir: string): Promise<i18n> {
  const resources: Resource = {};
  for (const lang of existsSync(localesDir) ? readdirSync(localesDir) : []) {
    const dir = path.join(localesDir, lang);
    resources[lang] = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      resources[lang]![file.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    fallbackLng: 'en',
    ns: ['common', 'feeds'],
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
