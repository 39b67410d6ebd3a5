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

describe('SSRF address guard: IPv6 forms that carry an IPv4 address', () => {
  const guard = createAddressGuard([]);
  // Each private IPv4 target written in every transition form a gateway or kernel may deliver.
  const carriers: Record<string, (a: number[]) => string> = {
    compatible: (a) => `::${a.join('.')}`,
    'compatible, hex': (a) => `::${hex(a[0]!, a[1]!)}:${hex(a[2]!, a[3]!)}`,
    mapped: (a) => `::ffff:${a.join('.')}`,
    siit: (a) => `::ffff:0:${a.join('.')}`,
    nat64: (a) => `64:ff9b::${a.join('.')}`,
    'nat64 local-use': (a) => `64:ff9b:1::${a.join('.')}`,
    '6to4': (a) => `2002:${hex(a[0]!, a[1]!)}:${hex(a[2]!, a[3]!)}::1`,
    'teredo server': (a) => `2001:0:${hex(a[0]!, a[1]!)}:${hex(a[2]!, a[3]!)}:0:0:f7f7:fbfb`,
    'teredo client': (a) => `2001:0:4136:e378:8000:63bf:${hex(a[0]! ^ 0xff, a[1]! ^ 0xff)}:${hex(a[2]! ^ 0xff, a[3]! ^ 0xff)}`,
  };
  const privateTargets = [[127, 0, 0, 1], [10, 0, 0, 1], [192, 168, 1, 1], [169, 254, 169, 254], [172, 16, 0, 5], [100, 64, 0, 1], [0, 0, 0, 0]];

  for (const [form, write] of Object.entries(carriers)) {
    it(`refuses ${form} forms of private addresses, as literals and through the URL parser`, () => {
      for (const target of privateTargets) {
        const literal = write(target);
        expect(() => guard.checkHost(`[${literal}]`), literal).to.throw(/refused unless listed/);
        // The URL parser rewrites the dotted tail to hex (::10.0.0.1 -> ::a00:1): the guard sees that form.
        const host = new URL(`http://[${literal}]/`).hostname;
        expect(() => guard.checkHost(host), host).to.throw(/refused unless listed/);
      }
    });
    it(`lets ${form} forms of a public address through`, () => {
      const literal = write([8, 8, 8, 8]);
      expect(() => guard.checkHost(`[${literal}]`), literal).to.not.throw();
    });
  }

  it('judges a carried address against the allowed list', () => {
    const office = createAddressGuard(['10.0.0.0/8']);
    expect(() => office.checkHost('[64:ff9b::10.1.2.3]')).to.not.throw();
    expect(() => office.checkHost('[::192.168.1.1]')).to.throw(/carrying 192\.168\.1\.1/);
  });

  it('still refuses plain IPv6 loopback, unspecified and unique-local addresses', () => {
    for (const host of ['[::1]', '[::]', '[fd12:3456::1]', '[fe80::1]']) expect(() => guard.checkHost(host), host).to.throw(/refused unless listed/);
    expect(() => guard.checkHost('[2606:4700:4700::1111]')).to.not.throw();
  });
});

function hex(hi: number, lo: number): string {
  return ((hi << 8) | lo).toString(16);
}
