import { expect } from 'chai';
import { canTransition, IllegalTransitionError, transition, translationStates } from './workflow.ts';

describe('translation workflow', () => {
  it('walks the happy path from queued to published', () => {
    let state = transition('queued', 'machine_translated');
    state = transition(state, 'in_review');
    state = transition(state, 'approved');
    expect(transition(state, 'published')).to.equal('published');
  });

  it('refuses to approve a draft nobody submitted, with a message naming the legal moves', () => {
    expect(() => transition('machine_translated', 'approved')).to.throw(IllegalTransitionError, /machine_translated to approved.*in_review/);
  });

  it('sends a rejected draft back to review only after resubmission', () => {
    expect(canTransition('in_review', 'rejected')).to.equal(true);
    expect(canTransition('rejected', 'approved')).to.equal(false);
    expect(canTransition('rejected', 'in_review')).to.equal(true);
  });

  it('lets every live state become outdated or withdrawn, and withdrawn is final', () => {
    for (const state of translationStates.filter((s) => s !== 'withdrawn' && s !== 'outdated')) {
      expect(canTransition(state, 'outdated'), state).to.equal(true);
      expect(canTransition(state, 'withdrawn'), state).to.equal(true);
    }
    for (const state of translationStates) expect(canTransition('withdrawn', state)).to.equal(false);
  });

  it('opens a published translation for correction without unpublishing it first', () => {
    expect(canTransition('published', 'in_review')).to.equal(true);
    expect(canTransition('published', 'queued')).to.equal(false);
  });
});
