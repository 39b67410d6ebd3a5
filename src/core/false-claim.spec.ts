import { expect } from 'chai';
import { audiencesOfLanguages, canMoveFalseClaim, falseClaimStatuses, IllegalFalseClaimMoveError, moveFalseClaim, nextFalseClaimStatuses } from './false-claim.ts';

describe('false claim status', () => {
  it('goes new → answering → answered → closed, and back where the desk needs it', () => {
    expect(moveFalseClaim('new', 'answering')).to.equal('answering');
    expect(moveFalseClaim('answering', 'answered')).to.equal('answered');
    expect(moveFalseClaim('answered', 'closed')).to.equal('closed');
    expect(canMoveFalseClaim('closed', 'answering'), 'reopened when it spreads again').to.equal(true);
    expect(canMoveFalseClaim('answered', 'answering'), 'the answer withdrawn').to.equal(true);
    expect(canMoveFalseClaim('new', 'closed'), 'not worth answering').to.equal(true);
  });

  it('refuses skipping the answer, and names the legal moves', () => {
    expect(canMoveFalseClaim('new', 'answered')).to.equal(false);
    expect(() => moveFalseClaim('new', 'answered')).to.throw(IllegalFalseClaimMoveError, 'from new it can go to answering, closed');
    for (const s of falseClaimStatuses) expect(nextFalseClaimStatuses(s)).not.to.include(s);
  });
});

describe('audiencesOfLanguages', () => {
  it('names the audiences of the languages a false claim was said in, by primary subtag, in the audiences\' order', () => {
    const audiences = [{ id: 'en', language: 'en-GB' }, { id: 'fr', language: 'fr' }, { id: 'zh', language: 'zh-Hans' }, { id: 'zh-tw', language: 'zh-Hant' }];
    expect(audiencesOfLanguages(audiences, ['zh-hans', 'EN'])).to.deep.equal(['en', 'zh', 'zh-tw']);
    expect(audiencesOfLanguages(audiences, ['lo'])).to.deep.equal([]);
    expect(audiencesOfLanguages(audiences, [])).to.deep.equal([]);
  });
});
