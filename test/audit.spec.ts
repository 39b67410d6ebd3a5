import { expect } from 'chai';
import { summarizeBody } from '../src/ops/audit.ts';
import type { Service } from '../src/service.ts';
import { createToken } from '../src/store/tokens.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { apiClient, startTestService, writeTestConfig } from './support/service.ts';

describe('audit trail', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let service: Service;
  before(async () => {
    database = await freshDatabase();
    service = await startTestService(writeTestConfig({ audiences: [{ id: 'en', language: 'en', provider: 'manual' }] }), database);
  });
  after(async () => {
    await service?.close();
    await database?.close();
  });

  it('records every state-changing request with who, what, from where and the outcome', async () => {
    const admin = apiClient(service.url, await createToken(database.db, 'ops', 'admin'));
    const translator = apiClient(service.url, await createToken(database.db, 'thu', 'translator'));
    expect((await admin('POST', '/api/v1/sources', { id: 'vov', name: 'VOV', url: 'https://vov.example.vn/rss' })).status).to.equal(201);
    expect((await translator('POST', '/api/v1/sources', { id: 'x', name: 'X', url: 'https://x.example.vn/rss' })).status).to.equal(403);
    await admin('GET', '/api/v1/sources'); // reads are not audited

    let entries: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 20 && entries.length < 2; i++) {
      entries = (await admin('GET', '/api/v1/audit?limit=10')).body.data;
      if (entries.length < 2) await new Promise((r) => setTimeout(r, 25)); // entries are written after the answer
    }
    expect(entries.map((e) => [e.actor, e.action, e.status])).to.deep.equal([
      ['token:thu', 'POST /api/v1/sources', 403],
      ['token:ops', 'POST /api/v1/sources', 201],
    ]);
    expect(entries[1]!.ip).to.match(/127\.0\.0\.1/);
    expect(entries[1]!.details).to.deep.include({ id: 'vov', url: 'https://vov.example.vn/rss' });
    const mine = (await admin('GET', '/api/v1/audit?actor=token:thu')).body.data;
    expect(mine).to.have.length(1);
    expect((await translator('GET', '/api/v1/audit')).status, 'translators cannot read the audit trail').to.equal(403);
  });

  it('never records secrets or whole texts', () => {
    expect(summarizeBody({ password: 'hunter2hunter2', newPassword: 'x', token: 't', title: 'Tin', bodyHtml: 'x'.repeat(500), tags: ['a', 'b'] })).to.deep.equal({
      password: '[redacted]', newPassword: '[redacted]', token: '[redacted]', title: 'Tin', bodyHtml: `${'x'.repeat(200)}… (500 characters)`, tags: '[2 items]',
    });
  });
});
