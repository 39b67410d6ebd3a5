/** Every language of the desk has every UI string, with the same placeholders. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createI18n } from '../src/i18n.ts';
import { runChecks } from '../src/review/qa/index.ts';
import { localizeIssues } from '../src/web/ui/qa-messages.ts';

type Tree = { [k: string]: string | Tree };
const load = (lang: string) => JSON.parse(readFileSync(new URL(`../locales/${lang}/ui.json`, import.meta.url), 'utf8')) as Tree;
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`.replace(/_(one|other|few|many|zero|two)$/, ''), (out.get(`${prefix}${k}`) ?? '') + v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('UI strings', () => {
  const en = flatten(load('en'));
  const vi = flatten(load('vi'));
  it('has the same keys in English and Vietnamese', () => {
    expect([...vi.keys()].sort()).to.deep.equal([...en.keys()].sort());
  });
  it('uses the same placeholders in both', () => {
    for (const [key, text] of en) expect(placeholders(vi.get(key) ?? ''), key).to.deep.equal(placeholders(text));
  });
});

describe('QA messages in the desk', () => {
  // one input that raises nearly every kind of issue
  const issues = [
    runChecks({ source: '<p>Ngày 10/9/2008, lúc 15h20, ông Võ Văn Thưởng nói Bộ Chính trị có 1.245 vụ, tăng 12,5%. Xem <a href="https://a.vn/x">đây</a> và https://a.vn/y.</p><p>Đoạn hai khá dài để kiểm tra độ dài của bản dịch so với bản gốc tiếng Việt.</p><p>Ba.</p>',
      target: '<p>On 9 October 2009 at 5:20 p.m. at 3:20, the Central Committee had 1.245 cases, up 12,5 % and 2,500 more, see https://b.vn/z <strong>here. Thỏa thuận hợp tác.</p><p>Short.</p>', sourceLang: 'vi', targetLang: 'en', glossary: [{ source: 'Bộ Chính trị', target: 'Politburo', variants: ['Political Bureau'] }] }),
    runChecks({ source: 'Ngày 2/8/2017 và tháng 10/2017, có 6.850,3 tỷ đồng.', target: 'On 8/2/2017 and in October, VND6.85 trillion; also 2 August 2017.', sourceLang: 'vi', targetLang: 'en' }),
    runChecks({ source: '<p>Một đoạn văn bản tiếng Việt rất dài được sao chép.</p>', target: '<p>Một đoạn văn bản tiếng Việt rất dài được sao chép.</p><p>Extra.</p>', sourceLang: 'vi', targetLang: 'en' }),
  ].flat();
  it('has an English template that gives back each check’s own message, and a Vietnamese one', async () => {
    const i18n = await createI18n(fileURLToPath(new URL('../locales', import.meta.url)));
    const codes = new Set(issues.map((i) => i.code));
    expect(codes.size, [...codes].join(', ')).to.be.at.least(15);
    const en = i18n.getFixedT('en', 'ui');
    const vi = i18n.getFixedT('vi', 'ui');
    for (const issue of issues) {
      expect(i18n.exists(`ui:qa.msg.${issue.code}`, { lng: 'vi', fallbackLng: [] }), issue.code).to.equal(true);
      expect(localizeIssues((k, o) => en(k, o) as string, [issue])[0]!.message, issue.code).to.equal(issue.message);
      expect(localizeIssues((k, o) => vi(k, o) as string, [issue])[0]!.message, issue.code).to.not.equal(issue.message);
    }
  });
});
