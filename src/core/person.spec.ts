import { expect } from 'chai';
import { hasRole, mayWorkIn, personFromToken, personFromUser } from './person.ts';

describe('people', () => {
  it('keeps translators to their languages, by base language', () => {
    const thu = personFromUser({ id: 1, username: 'thu', role: 'translator', languages: ['en', 'zh-Hans'] });
    expect(mayWorkIn(thu, 'en')).to.equal(true);
    expect(mayWorkIn(thu, 'en-GB')).to.equal(true);
    expect(mayWorkIn(thu, 'zh-Hans')).to.equal(true);
    expect(mayWorkIn(thu, 'fr')).to.equal(false);
    expect(mayWorkIn(personFromUser({ id: 2, username: 'new', role: 'translator', languages: [] }), 'en'), 'no languages: none').to.equal(false);
  });
  it('lets editors and tokens work in every language; roles include the ones below', () => {
    const lan = personFromUser({ id: 3, username: 'lan', role: 'editor', languages: [] });
    expect(mayWorkIn(lan, 'lo')).to.equal(true);
    expect(hasRole(lan, 'translator')).to.equal(true);
    expect(hasRole(lan, 'admin')).to.equal(false);
    const token = personFromToken({ name: 'cms', role: 'translator' });
    expect(token.actor).to.equal('token:cms');
    expect(mayWorkIn(token, 'ja')).to.equal(true);
    expect(hasRole(token, 'editor')).to.equal(false);
  });
});
