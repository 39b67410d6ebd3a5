/**
 * The API answers its errors in the asker's language: Vietnamese when Accept-Language asks for it
 * first, or, without a Vietnamese or English Accept-Language, when the person who made the token
 * (or who is signed in) reads the desk in Vietnamese; English otherwise. The `code` never changes.
 */
import { expect } from 'chai';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { createUnit } from '../src/store/units.ts';
import { createUser } from '../src/store/users.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { password } from './support/review-fixtures.ts';
import { startTestService, writeTestConfig } from './support/service.ts';

describe('API errors in the asker\'s language', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let service: Service;
  let plain: string;
  let madeByQuan: string;
  let admin: string;

  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), database);
    await createUser(database.db, { username: 'quan', displayName: 'Quân', role: 'admin', password, locale: 'vi' });
    await createUnit(database.db, { id: 'so-ngoai-vu', nameVi: 'Sở Ngoại vụ' });
    plain = await createToken(database.db, 'script', 'editor', 'cli');
    madeByQuan = await createToken(database.db, 'quan-script', 'editor', 'quan');
    admin = await createToken(database.db, 'root', 'admin', 'cli');
    await database.db.insertInto('sources').values({ id: 'bqt', name: 'Báo Quốc tế', url: 'https://example.org/rss', kind: 'rss', schedule: '*/5 * * * *', full_text: false, enabled: true } as never).execute();
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  const call = async (method: string, path: string, opts: { token?: string; language?: string; body?: unknown } = {}) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.language ? { 'accept-language': opts.language } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string } }).error };
  };

  it('says a missing story in Vietnamese when asked, and keeps the code', async () => {
    expect(await call('GET', '/api/v1/stories/999', { token: plain, language: 'vi-VN,vi;q=0.9,en;q=0.5' })).to.deep.equal({ status: 404, error: { code: 'not_found', message: 'Không có tin 999.' } });
    expect(await call('GET', '/api/v1/stories/999', { token: plain })).to.deep.equal({ status: 404, error: { code: 'not_found', message: 'story 999 does not exist' } });
    expect((await call('GET', '/api/v1/stories/999', { token: plain, language: 'en-GB' })).error.message).to.equal('story 999 does not exist');
  });

  it('answers in the token maker\'s desk language when the request names neither', async () => {
    expect((await call('GET', '/api/v1/sources/khong-co', { token: madeByQuan })).error).to.deep.equal({ code: 'not_found', message: 'Không có nguồn tin khong-co.' });
    expect((await call('GET', '/api/v1/sources/khong-co', { token: madeByQuan, language: 'fr' })).error.message).to.equal('Không có nguồn tin khong-co.');
    // the request's own language wins
    expect((await call('GET', '/api/v1/sources/khong-co', { token: madeByQuan, language: 'en' })).error.message).to.equal('source khong-co does not exist');
  });

  it('words refusals of every kind: a field, a person\'s error, the role, the token, the route', async () => {
    const vi = { language: 'vi' };
    expect(await call('POST', '/api/v1/sources', { ...vi, token: admin, body: { id: 'x', name: 'X', url: 'ftp://x' } })).to.deep.equal({ status: 400, error: { code: 'invalid_input', message: 'Giá trị của url không hợp lệ.' } });
    expect(await call('PATCH', '/api/v1/sources/bqt', { ...vi, token: admin, body: { unit: 'khong-co' } })).to.deep.equal({ status: 400, error: { code: 'invalid_input', message: 'Không có đơn vị khong-co.' } });
    expect(await call('POST', '/api/v1/sources', { ...vi, token: plain, body: { id: 'x', name: 'X', url: 'https://x.example' } })).to.deep.equal({ status: 403, error: { code: 'forbidden', message: 'Vai trò của bạn không được làm việc này.' } });
    expect((await call('GET', '/api/v1/sources', vi)).error).to.deep.equal({ code: 'unauthorized', message: 'Cần một mã truy cập hợp lệ (Authorization: Bearer <token>) hoặc một phiên đã đăng nhập.' });
    expect(await call('GET', '/api/v1/no-such-thing', { ...vi, token: plain })).to.deep.equal({ status: 404, error: { code: 'not_found', message: 'Không tìm thấy.' } });
    // and in English as before
    expect((await call('GET', '/api/v1/no-such-thing', { token: plain })).error).to.deep.equal({ code: 'not_found', message: 'no such route' });
    expect((await call('PATCH', '/api/v1/sources/bqt', { token: admin, body: { unit: 'khong-co' } })).error.message).to.equal('there is no unit khong-co');
  });
});
