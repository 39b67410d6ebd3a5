import { expect } from 'chai';
import { topicSlug } from './topics.ts';

describe('topicSlug', () => {
  it('turns Vietnamese categories into short ASCII slugs', () => {
    expect(topicSlug('Thời sự')).to.equal('thoi-su');
    expect(topicSlug('Đối ngoại')).to.equal('doi-ngoai');
    expect(topicSlug('  Kinh tế – Xã hội ')).to.equal('kinh-te-xa-hoi');
    // decomposed input (NFD, as macOS and some exports write it) gives the same slug
    expect(topicSlug('Thời sự'.normalize('NFD'))).to.equal('thoi-su');
  });

  it('gives a stable slug to a category with no Latin letters, and none to an empty one', () => {
    const slug = topicSlug('外交');
    expect(slug).to.match(/^t-[0-9a-f]{10}$/);
    expect(topicSlug('外交')).to.equal(slug);
    expect(topicSlug('   ')).to.equal(undefined);
  });
});
