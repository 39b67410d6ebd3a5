import { expect } from 'chai';
import { sharedBuffersMb } from './embedded-server.ts';

describe('the embedded server\'s page cache', () => {
  const gb = 1024 ** 3;
  it('takes an eighth of the machine\'s memory, between 128 MB and 4 GB', () => {
    expect(sharedBuffersMb(24 * gb)).to.equal(3072);
    expect(sharedBuffersMb(4 * gb)).to.equal(512);
    expect(sharedBuffersMb(0.5 * gb), 'never below PostgreSQL\'s own default').to.equal(128);
    expect(sharedBuffersMb(256 * gb), 'at most 4 GB').to.equal(4096);
  });
});
