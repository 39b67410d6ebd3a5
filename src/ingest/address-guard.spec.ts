import { expect } from 'chai';
import { createAddressGuard } from './address-guard.ts';

const resolve = (guard: ReturnType<typeof createAddressGuard>, host: string) =>
  new Promise<string>((ok, fail) => guard.lookup(host, { family: 4 }, (err, address) => (err ? fail(err) : ok(String(address)))));

describe('SSRF address guard', () => {
  it('refuses names that resolve to loopback, after DNS resolution', async () => {
    const err = await resolve(createAddressGuard([]), 'localhost').then(() => undefined, (e: Error) => e);
    expect(err?.message).to.match(/localhost resolves to 127\.0\.0\.1 \(loopback\)/);
  });
  it('lets listed hosts and CIDRs through', async () => {
    expect(await resolve(createAddressGuard(['localhost']), 'localhost')).to.equal('127.0.0.1');
    expect(await resolve(createAddressGuard(['127.0.0.0/8']), 'localhost')).to.equal('127.0.0.1');
    expect(() => createAddressGuard(['10.0.0.0/8']).checkHost('10.1.2.3')).to.not.throw();
  });
  it('refuses literal private, link-local, metadata and mapped addresses', () => {
    const guard = createAddressGuard(['127.0.0.1']);
    for (const host of ['10.0.0.1', '192.168.1.1', '169.254.169.254', '[fd00:ec2::254]', '[::ffff:10.0.0.1]', '0.0.0.0', '100.64.0.1', '[::1]']) {
      expect(() => guard.checkHost(host), host).to.throw(/refused unless listed/);
    }
    expect(() => guard.checkHost('127.0.0.1')).to.not.throw();
    expect(() => guard.checkHost('[::ffff:127.0.0.1]')).to.not.throw();
    expect(() => guard.checkHost('8.8.8.8')).to.not.throw();
  });
});
