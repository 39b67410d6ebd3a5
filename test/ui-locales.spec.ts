/** Every language of the desk has every UI string, with the same placeholders. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';

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
