import { expect } from 'chai';
import { compileRouter, routingSchema, type RoutableStory } from './routing.ts';

const story = (over: Partial<RoutableStory> = {}): RoutableStory => ({
  sourceId: 'baoquocte', category: null, title: '', summary: '', text: '', priority: false, ...over,
});
const choices = (router: ReturnType<typeof compileRouter>, s: RoutableStory) => Object.fromEntries(router.route(s).map((r) => [r.audienceId, `${r.choice} ${r.rule}`]));
const audience = (id: string, routing: unknown) => ({ id, routing: routingSchema.parse(routing) });

describe('routing stories to audiences', () => {
  it('takes every story when an audience has no rules, and when it has no routing at all', () => {
    const router = compileRouter([{ id: 'en' }, audience('fr', {})]);
    expect(choices(router, story({ title: 'Thu hoạch lúa' }))).to.deep.equal({ en: 'take everything', fr: 'take everything' });
  });

  it('takes by source, category, keyword and region, naming the rule; others are skipped', () => {
    const router = compileRouter([
      audience('lo', { take: [{ name: 'Laos', regions: ['Lào', 'Viêng Chăn'] }] }),
      audience('ko', { take: [{ sources: ['yonhap-vi'] }, { name: 'economy', categories: ['Kinh tế'] }] }),
      audience('ru', { take: [{ keywords: ['Nga'] }] }),
    ]);
    const rice = story({ title: 'Thu hoạch lúa ở Đồng Tháp', text: 'Nông dân vui mừng.' });
    expect(choices(router, rice)).to.deep.equal({ lo: 'skip no-rule', ko: 'skip no-rule', ru: 'skip no-rule' });
    const laos = story({ title: 'Hợp tác với Lào', text: 'Đoàn đến Viêng Chăn.', category: 'kinh tế' });
    expect(choices(router, laos)).to.deep.equal({ lo: 'take take:Laos', ko: 'take take:economy', ru: 'skip no-rule' });
    expect(choices(router, story({ sourceId: 'yonhap-vi' })).ko).to.equal('take take:take 1');
  });

  it('matches after NFC, with diacritics exactly and without them loosely, as whole words only', () => {
    const router = compileRouter([
      audience('exact', { take: [{ keywords: ['lúa gạo'] }] }),
      audience('loose', { take: [{ keywords: ['lua gao'] }] }),
      audience('word', { take: [{ keywords: ['Nga'] }] }),
    ]);
    const decomposed = story({ text: 'Xuất khẩu LÚA GẠO tăng.'.normalize('NFD') });
    expect(choices(router, decomposed)).to.deep.equal({ exact: 'take take:take 1', loose: 'take take:take 1', word: 'skip no-rule' });
    // "lừa gạt" (to cheat) is not "lúa gạo"; the loose keyword still takes a text typed without diacritics
    expect(choices(router, story({ text: 'Kẻ lừa gạt bị bắt.' })).exact).to.equal('skip no-rule');
    expect(choices(router, story({ text: 'xuat khau lua gao' }))).to.include({ exact: 'skip no-rule', loose: 'take take:take 1' });
    // "Nga" (Russia) written with no diacritics also matches "Ngà", but never inside "Ngang" or "ngay"
    expect(choices(router, story({ text: 'Đi ngang qua, ngay hôm nay.' })).word).to.equal('skip no-rule');
    expect(choices(router, story({ text: 'Quan hệ Việt – Nga.' })).word).to.equal('take take:take 1');
  });

  it('needs every criterion of a rule, and a never rule wins over a take rule', () => {
    const router = compileRouter([audience('en', {
      take: [{ name: 'ministry economy', sources: ['mofa'], categories: ['Kinh tế'] }],
      never: [{ name: 'sport', categories: ['the thao'] }, { keywords: ['xổ số'] }],
    })]);
    expect(choices(router, story({ sourceId: 'mofa', category: 'Kinh tế' })).en).to.equal('take take:ministry economy');
    expect(choices(router, story({ sourceId: 'other', category: 'Kinh tế' })).en).to.equal('skip no-rule');
    expect(choices(router, story({ sourceId: 'mofa', category: 'Thể thao' })).en).to.equal('skip never:sport');
    expect(choices(router, story({ sourceId: 'mofa', category: 'Kinh tế', summary: 'Kết quả xổ số hôm nay' })).en).to.equal('skip never:never 2');
  });

  it('in planning mode a taken story waits for an editor; a priority story goes everywhere at once unless an audience routes it by rules', () => {
    const router = compileRouter([
      audience('lo', { mode: 'planning', take: [{ regions: ['Lào'] }] }),
      audience('ko', { mode: 'planning', never: [{ keywords: ['lúa'] }] }),
      audience('ru', { mode: 'planning', priority: 'rules', take: [{ keywords: ['Nga'] }] }),
    ]);
    expect(choices(router, story({ title: 'Hợp tác với Lào' }))).to.deep.equal({ lo: 'plan take:take 1', ko: 'plan everything', ru: 'skip no-rule' });
    expect(choices(router, story({ title: 'Bão lớn, lúa mất mùa', priority: true }))).to.deep.equal({ lo: 'take priority', ko: 'take priority', ru: 'skip no-rule' });
  });

  it('refuses a rule with nothing to match', () => {
    expect(routingSchema.safeParse({ take: [{ name: 'empty' }] }).success).to.equal(false);
    expect(routingSchema.safeParse({ mode: 'sometimes' }).success).to.equal(false);
  });
});
