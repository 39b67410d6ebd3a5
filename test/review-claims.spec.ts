/** Soft locks on drafts: held, renewed, refused to others until they expire, taken over on purpose. */
import { expect } from 'chai';
import { claim, claimsOf, currentClaim, release } from '../src/review/claims.ts';
import { freshDatabase, type TestDatabase } from './support/database.ts';
import { draft, people } from './support/review-fixtures.ts';

describe('claims', () => {
  let database: TestDatabase;
  let id: number;
  let thu: number;
  let lan: number;
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 27, 8, minutes));
  before(async () => {
    database = await freshDatabase();
    await people(database.db);
    id = await draft(database.db, { guid: 'claims' });
    const users = await database.db.selectFrom('users').select(['id', 'username']).execute();
    thu = users.find((u) => u.username === 'thu')!.id;
    lan = users.find((u) => u.username === 'lan')!.id;
  });
  after(() => database?.close());

  it('holds a draft for one person until it expires, then lets another take it', async () => {
    expect((await claim(database.db, id, thu, at(0), 30)).mine).to.equal(true);
    const other = await claim(database.db, id, lan, at(10), 30);
    expect(other.mine).to.equal(false);
    expect(other.claim.username).to.equal('thu');
    expect(other.claim.expiresAt.toISOString()).to.equal(at(30).toISOString());
    expect((await claim(database.db, id, thu, at(20), 30)).claim.expiresAt.toISOString(), 'renewed by its holder').to.equal(at(50).toISOString());
    expect((await claim(database.db, id, lan, at(51), 30)).mine, 'expired: free to take').to.equal(true);
    expect(await currentClaim(database.db, id, at(90))).to.equal(undefined);
  });

  it('is taken over on purpose, released by its holder only, and read in bulk', async () => {
    await claim(database.db, id, thu, at(100), 30);
    expect((await claim(database.db, id, lan, at(101), 30, true)).mine).to.equal(true);
    await release(database.db, id, thu);
    expect((await currentClaim(database.db, id, at(102)))?.username, 'thu no longer holds it').to.equal('lan');
    expect([...(await claimsOf(database.db, [id, 999], at(102))).keys()]).to.deep.equal([id]);
    await release(database.db, id, lan);
    expect(await currentClaim(database.db, id, at(102))).to.equal(undefined);
  });
});
