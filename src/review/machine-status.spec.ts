import { expect } from 'chai';
import { machineStatus, type MachineColumns } from './machine-status.ts';

const now = new Date('2026-12-02T08:00:00Z');
const row = (over: Partial<MachineColumns>): MachineColumns => ({ state: 'queued', provider: 'deepl', error: null, mt_attempts: 0, mt_waiting: null, ...over });

describe('machine translation status shown to people', () => {
  it('says nothing while a draft simply waits its turn, or once it exists', () => {
    expect(machineStatus(row({}), 8, now)).to.equal(undefined);
    expect(machineStatus(row({ state: 'machine_translated', error: 'old' }), 8, now)).to.equal(undefined);
  });

  it('tells a failure given up on from one that is still retried, by the attempts', () => {
    expect(machineStatus(row({ error: 'DeepL answered 500', mt_attempts: 3 }), 8, now)).to.deep.equal({ kind: 'retrying', attempts: 3, reason: 'DeepL answered 500' });
    expect(machineStatus(row({ error: 'gave up after 8 attempts', mt_attempts: 8 }), 8, now)).to.deep.include({ kind: 'failed', attempts: 8 });
  });

  it('says a parked translation waits for the quota, or for the budget until the first of next month (UTC)', () => {
    expect(machineStatus(row({ mt_waiting: 'quota', error: 'quota exceeded' }), 8, now)).to.deep.equal({ kind: 'parked', why: 'quota', reason: 'quota exceeded' });
    const budget = machineStatus(row({ mt_waiting: 'budget', error: 'the monthly character budget is spent' }), 8, new Date('2026-12-31T23:30:00Z'));
    expect(budget).to.deep.include({ kind: 'parked', why: 'budget' });
    expect(budget && 'resumesAt' in budget && budget.resumesAt.toISOString()).to.equal('2027-01-01T00:00:00.000Z');
  });

  it('says when no machine drafts it and a person writes it', () => {
    expect(machineStatus(row({ provider: 'manual', error: 'DeepL cannot translate into Lao' }), 8, now)).to.deep.equal({ kind: 'person', reason: 'DeepL cannot translate into Lao' });
  });

  it('carries the reason\'s code and values for the reader\'s words, and none for a row stored before codes', () => {
    expect(machineStatus(row({ error: 'DeepL refused the key: Forbidden', error_code: 'auth_failed', error_values: { provider: 'deepl', status: 403 }, mt_attempts: 8 }), 8, now))
      .to.deep.equal({ kind: 'failed', attempts: 8, reason: 'DeepL refused the key: Forbidden', because: { code: 'auth_failed', values: { provider: 'deepl', status: 403 } } });
    expect(machineStatus(row({ mt_waiting: 'budget', error: 'the monthly character budget is spent', error_code: 'budget_spent', error_values: null }), 8, now)).to.deep.include({ because: { code: 'budget_spent', values: {} } });
    expect(machineStatus(row({ error: 'DeepL answered 500', mt_attempts: 1 }), 8, now)).to.not.have.property('because');
  });
});
