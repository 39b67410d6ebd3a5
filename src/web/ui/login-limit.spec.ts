import { expect } from 'chai';
import { LoginLimit } from './login-limit.ts';

describe('sign-in limit, per account and per address', () => {
  let now = Date.parse('2026-11-27T08:00:00Z');
  const clock = () => new Date(now);
  const make = () => new LoginLimit({ accountAttempts: 3, addressAttempts: 5, windowMinutes: 15 }, clock);

  it('locks a guessed account from every address, for the window, and lets it in after', () => {
    const limit = make();
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect(limit.refusal('thu', address)).to.equal(undefined);
      limit.failed('thu', address);
    }
    expect(limit.refusal('thu', '198.51.100.9')).to.deep.equal({ by: 'account', retryAfterSeconds: 900 });
    expect(limit.refusal(' THU ', '198.51.100.9')?.by, 'the same account however it is typed').to.equal('account');
    now += 14 * 60_000;
    expect(limit.refusal('thu', '198.51.100.9')).to.deep.equal({ by: 'account', retryAfterSeconds: 60 });
    now += 60_000;
    expect(limit.refusal('thu', '198.51.100.9')).to.equal(undefined);
  });

  it('keeps other accounts behind the same address signing in while one is guessed', () => {
    const limit = make();
    const office = '192.0.2.10';
    for (let i = 0; i < 3; i++) limit.failed('lan', office);
    // the locked account's further attempts are refused before the password, so they are not counted
    for (let i = 0; i < 20; i++) expect(limit.refusal('lan', office)?.by).to.equal('account');
    expect(limit.refusal('thu', office)).to.equal(undefined);
  });

  it('refuses an address trying passwords on many accounts', () => {
    const limit = make();
    const from = '203.0.113.50';
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      expect(limit.refusal(name, from)).to.equal(undefined);
      limit.failed(name, from);
    }
    expect(limit.refusal('f', from)).to.deep.equal({ by: 'address', retryAfterSeconds: 900 });
    expect(limit.refusal('f', '203.0.113.51')).to.equal(undefined);
  });

  it('forgets an account\'s failures when it signs in, and failures older than the window', () => {
    const limit = make();
    limit.failed('minh', '192.0.2.1');
    limit.failed('minh', '192.0.2.1');
    limit.succeeded('minh');
    limit.failed('minh', '192.0.2.1');
    expect(limit.refusal('minh', '192.0.2.2')).to.equal(undefined);
    limit.failed('minh', '192.0.2.1');
    now += 15 * 60_000;
    limit.failed('minh', '192.0.2.1');
    expect(limit.refusal('minh', '192.0.2.2'), 'two failures were in an earlier window').to.equal(undefined);
  });

  it('remembers a bounded number of accounts and addresses', () => {
    const limit = new LoginLimit({ accountAttempts: 1, addressAttempts: 1000, windowMinutes: 15, maxKeys: 10 }, clock);
    limit.failed('first', '192.0.2.1');
    expect(limit.refusal('first', '192.0.2.9')?.by).to.equal('account');
    for (let i = 0; i < 20; i++) limit.failed(`spray-${i}`, '192.0.2.1');
    expect(limit.refusal('first', '192.0.2.9'), 'the oldest entry went').to.equal(undefined);
    expect(limit.refusal('spray-19', '192.0.2.9')?.by).to.equal('account');
    now += 16 * 60_000;
    limit.failed('late', '192.0.2.2');
    expect(limit.refusal('late', '192.0.2.9')?.by, 'entries whose window is over were forgotten first').to.equal('account');
  });
});
