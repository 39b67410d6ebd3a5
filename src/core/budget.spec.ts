import { expect } from 'chai';
import { budgetLevel } from './budget.ts';

describe('a monthly budget\'s level', () => {
  it('warns from 80 % and is spent from 100 %', () => {
    expect(budgetLevel(799, 1000)).to.equal('ok');
    expect(budgetLevel(800, 1000)).to.equal('near');
    expect(budgetLevel(999, 1000)).to.equal('near');
    expect(budgetLevel(1000, 1000)).to.equal('spent');
    expect(budgetLevel(5, 0), 'a budget of nothing is spent at once').to.equal('spent');
    expect(budgetLevel(10 ** 9, undefined), 'no budget, no warning').to.equal('ok');
  });
});
