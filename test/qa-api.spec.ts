/** POST /api/v1/qa through the whole service: the issue's request and response shape, roles, bad input. */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { addTerm } from '../src/store/glossary.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

describe('POST /api/v1/qa', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  let api: ReturnType<typeof apiClient>;
  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), database);
    api = apiClient(service.url, await createToken(database.db, 'qa-tool', 'translator'));
    await addTerm(database.db, { sourceLanguage: 'vi', targetLanguage: 'en' }, { source: 'Bộ Chính trị', target: 'Politburo', variants: ['Political Bureau'], note: undefined }, 'test');
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('answers the issues with check, severity, message and spans', async () => {
    const res = await api('POST', '/api/v1/qa', {
      source: 'Tham dự có gần 500 đại biểu.', target: 'Nearly 50 delegates attended.', sourceLang: 'vi', targetLang: 'en-GB', glossary: [],
    });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({
      issues: [
        { check: 'numbers', severity: 'error', message: "the source's 500 is not in the translation", source: { start: 15, end: 18, text: '500' } },
        { check: 'numbers', severity: 'warning', message: "the translation's 50 is not in the source", target: { start: 7, end: 9, text: '50' } },
      ],
    });
  });

  it('answers an empty list for a correct translation', async () => {
    const res = await api('POST', '/api/v1/qa', { source: '<p>Ngày 2/8, tại Hà Nội.</p>', target: '<p>On 2 August, in Hanoi.</p>', sourceLang: 'vi', targetLang: 'en', glossary: [] });
    expect(res.body).to.deep.equal({ issues: [] });
  });

  it('uses the glossary given, and the stored glossary of the pair when none is given', async () => {
    const given = await api('POST', '/api/v1/qa', { source: 'Quốc hội họp.', target: 'Parliament met.', sourceLang: 'vi', targetLang: 'en', glossary: [{ source: 'Quốc hội', target: 'National Assembly' }] });
    expect(given.body.issues.map((i: { check: string }) => i.check)).to.deep.equal(['glossary']);
    const stored = await api('POST', '/api/v1/qa', { source: 'Bộ Chính trị họp.', target: 'The Central Committee met.', sourceLang: 'vi', targetLang: 'en' });
    expect(stored.body.issues[0].message).to.match(/"Bộ Chính trị" must be translated as "Politburo"/);
  });

  it('refuses anonymous requests with 401 and bad bodies with 400', async () => {
    const anonymous = await fetch(`${service.url}/api/v1/qa`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).to.equal(401);
    const missing = await api('POST', '/api/v1/qa', { source: 'x', sourceLang: 'vi', targetLang: 'en' });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.message).to.match(/^target/);
    const badLang = await api('POST', '/api/v1/qa', { source: 'x', target: 'y', sourceLang: 'vi', targetLang: 'english!' });
    expect(badLang.status).to.equal(400);
  });
});
