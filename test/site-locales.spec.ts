/** Every language has the site's words and the topic names, with the same keys and placeholders as English. */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { createI18n } from '../src/i18n.ts';
import { topicName } from '../src/publish/topics.ts';

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const read = (lang: string, ns: string) => JSON.parse(readFileSync(`locales/${lang}/${ns}.json`, 'utf8')) as Record<string, string>;

describe('site strings and topic names in every language', () => {
  const languages = readdirSync('locales');
  for (const ns of ['site', 'topics']) {
    const en = read('en', ns);
    for (const lang of languages) {
      it(`${lang}/${ns}.json: same keys and placeholders as en, none left in English`, () => {
        const strings = read(lang, ns);
        expect(Object.keys(strings).sort()).to.deep.equal(Object.keys(en).sort());
        for (const [key, value] of Object.entries(en)) {
          expect(placeholders(strings[key]!), `${lang}:${key}`).to.deep.equal(placeholders(value));
          if (lang !== 'en' && ns === 'site' && !['feeds'].includes(key)) expect(strings[key], `${lang}:${key} is translated`).not.to.equal(value);
        }
      });
    }
  }

  it('names a topic in the audience\'s language, zh-Hans through zh, and keeps the source\'s name where none is written', async () => {
    const i18n = await createI18n('locales');
    expect(topicName(i18n, 'zh-Hans', 'doi-ngoai', 'Đối ngoại')).to.equal('外交');
    expect(topicName(i18n, 'lo', 'kinh-te', 'Kinh tế')).to.equal('ເສດຖະກິດ');
    expect(topicName(i18n, 'fr', 'chuyen-muc-moi', 'Chuyên mục mới'), 'no English borrowed for a French reader').to.equal('Chuyên mục mới');
  });
});
