/** Every language has the social strings, with the same keys and placeholders as English. */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { createI18n } from '../src/i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('social strings in every language', () => {
  const languages = readdirSync('locales');
  const en = JSON.parse(readFileSync('locales/en/social.json', 'utf8')) as Record<string, string>;

  it('covers the nine languages', () => {
    expect(languages.sort()).to.include.members(['en', 'es', 'fr', 'ja', 'ko', 'lo', 'ru', 'vi', 'zh']);
  });

  for (const lang of languages) {
    it(`${lang}: same keys and placeholders as en`, () => {
      const strings = JSON.parse(readFileSync(`locales/${lang}/social.json`, 'utf8')) as Record<string, string>;
      expect(Object.keys(strings).sort()).to.deep.equal(Object.keys(en).sort());
      for (const [key, value] of Object.entries(en)) expect(placeholders(strings[key]!), `${lang}:${key}`).to.deep.equal(placeholders(value));
    });
  }

  it('finds the Chinese strings for a zh-Hans audience', async () => {
    const i18n = await createI18n('locales');
    expect(i18n.getFixedT('zh-Hans', 'social')('readMore', { url: 'https://x.example/1' })).to.equal('阅读全文：https://x.example/1');
  });
});
