import { describe, expect, it } from 'vitest';
import type { HostResolver } from '../../src/sync/alerts/index.js';
import { checkUrl, classifyAddress, createUrlPolicy, embeddedIpv4 } from '../../src/sync/alerts/index.js';
import { AppError } from '../../src/shared/errors/index.js';

/** A DNS server played by a table: names in tests never reach a real resolver. */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'v6.example.com': ['2606:4700::1111'],
  'sneaky.example.com': ['10.0.0.5'],
  'mixed.example.com': ['93.184.216.34', '192.168.1.20'],
  'loop.example.com': ['127.0.0.1'],
  'mapped.example.com': ['::ffff:169.254.169.254'],
  'internal.corp.example': ['10.20.30.40'],
};
const resolver: HostResolver = async (hostname) => {
  const answers = dns[hostname];
  if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const refused: [string, string][] = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://0x7f.0.0.1/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0177.0.0.1/', 'loopback'],
  ['http://017700000001/', 'loopback'],
  ['http://127.255.255.254:8080/x', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[::ffff:7f00:1]/', 'loopback'],
  ['http://[64:ff9b::7f00:1]/', 'loopback'],
  ['http://[2002:7f00:1::]/', 'loopback'],
  ['http://[::127.0.0.1]/', 'IPv4-compatible'],
  ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
  ['http://[::ffff:169.254.169.254]/', 'cloud metadata'],
  ['http://0xa9fea9fe/', 'cloud metadata'],
  ['http://[fd00:ec2::254]/', 'cloud metadata'],
  ['http://100.100.100.200/', 'cloud metadata'],
  ['http://169.254.1.1/', 'link-local'],
  ['http://[fe80::1]/', 'link-local'],
  ['http://10.0.0.1/', 'private'],
  ['http://10.255.255.255/', 'private'],
  ['http://172.16.0.1/', 'private'],
  ['http://172.31.255.255/', 'private'],
  ['http://192.168.0.1/', 'private'],
  ['http://192.168.1.1:8443/', 'private'],
  ['http://[fd00::1]/', 'unique-local'],
  ['http://[fd12:3456:789a::1]/', 'unique-local'],
  ['http://[fc00::1]/', 'unique-local'],
  ['http://100.64.0.1/', 'carrier-grade NAT'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified'],
  ['http://[::]/', 'unspecified'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://[ff02::1]/', 'multicast'],
  ['http://255.255.255.255/', 'reserved'],
  ['http://198.18.0.1/', 'benchmarking'],
  ['http://192.0.2.1/', 'documentation'],
  ['http://[2001:db8::1]/', 'documentation'],
  ['http://192.0.0.8/', 'reserved'],
  ['http://192.88.99.1/', 'reserved'],
  ['http://198.51.100.7/', 'documentation'],
  ['http://203.0.113.9/', 'documentation'],
  ['http://[2001::1]/', 'IETF special-purpose'],
  ['http://[100::1]/', 'discard-only'],
  ['http://[3fff::1]/', 'documentation'],
  ['http://[fec0::1]/', 'site-local'],
  ['http://[64:ff9b:1::a00:1]/', 'local-use NAT64'],
  ['http://169.254.170.2/v2/credentials', 'cloud metadata'],
  ['http://168.63.129.16/', 'cloud metadata'],
  ['http://instance-data/', 'internal host name'],
  ['http://metadata/', 'internal host name'],
  ['http://localhost/', 'internal host name'],
  ['http://LOCALHOST./', 'internal host name'],
  ['http://api.localhost/', 'internal host name'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'internal host name'],
  ['http://sneaky.example.com/', 'resolves to 10.0.0.5, a private address'],
  ['http://mixed.example.com/', 'resolves to 192.168.1.20'],
  ['http://loop.example.com/', 'loopback'],
  ['http://mapped.example.com/', 'cloud metadata'],
  ['http://nowhere.example.com/', 'does not resolve'],
  ['ftp://hooks.example.com/', 'scheme ftp:'],
  ['file:///etc/passwd', 'scheme file:'],
  ['http://user:secret@hooks.example.com/', 'credentials'],
  ['not a url', 'not a valid URL'],
];

const allowed = [
  'https://hooks.example.com/alerts',
  'http://v6.example.com/',
  'http://8.8.8.8/',
  'http://[2606:4700:4700::1111]/',
  'http://172.32.0.1/',
  'http://100.128.0.1/',
  'http://[::ffff:8.8.8.8]/',
  'http://[64:ff9b::808:808]/',
];

describe('URL guard (R11)', () => {
  const policy = createUrlPolicy();

  it.each(refused)('refuses %s (%s)', async (url, reason) => {
    const result = await checkUrl(url, { policy, resolver });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it.each(allowed)('allows %s', async (url) => {
    const result = await checkUrl(url, { policy, resolver });
    expect(result).toMatchObject({ ok: true });
  });

  it('lets an operator allow-list addresses, ranges and names, and nothing beyond them', async () => {
    const loopback = createUrlPolicy(['127.0.0.1']);
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://127.1/',
      'http://0x7f.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://loop.example.com/',
    ]) {
      expect(await checkUrl(url, { policy: loopback, resolver }), url).toMatchObject({ ok: true });
    }
    for (const url of ['http://127.0.0.2/', 'http://[::1]/', 'http://10.0.0.1/', 'http://169.254.169.254/']) {
      expect(await checkUrl(url, { policy: loopback, resolver }), url).toMatchObject({ ok: false });
    }
    const ranges = createUrlPolicy(['10.0.0.0/8', 'fd00::/8']);
    expect(await checkUrl('http://10.9.9.9/', { policy: ranges, resolver })).toMatchObject({ ok: true });
    expect(await checkUrl('http://sneaky.example.com/', { policy: ranges, resolver })).toMatchObject({
      ok: true,
    });
    expect(await checkUrl('http://[fd12::1]/', { policy: ranges, resolver })).toMatchObject({ ok: true });
    expect(await checkUrl('http://[fc00::1]/', { policy: ranges, resolver })).toMatchObject({ ok: false });
    expect(await checkUrl('http://192.168.0.1/', { policy: ranges, resolver })).toMatchObject({ ok: false });
    const named = createUrlPolicy(['internal.corp.example']);
    expect(await checkUrl('http://internal.corp.example/hook', { policy: named, resolver })).toMatchObject({
      ok: true,
    });
    expect(await checkUrl('http://sneaky.example.com/', { policy: named, resolver })).toMatchObject({
      ok: false,
    });
  });

  it('rejects allow-list entries that are neither addresses, ranges nor names', () => {
    for (const entry of ['10.0.0.0/33', 'fd00::/129', 'not a host!', '1.2.3.4/x']) {
      expect(() => createUrlPolicy([entry]), entry).toThrow(AppError);
    }
  });

  it('classifies addresses and unwraps IPv4 carried in IPv6', () => {
    expect(classifyAddress('93.184.216.34')).toBeNull();
    expect(classifyAddress('127.0.0.1')).toBe('loopback');
    expect(classifyAddress('fe80::1%eth0')).toBe('link-local');
    expect(classifyAddress('example.com')).toBe('not an IP address');
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIpv4('2002:c0a8:101::1')).toBe('192.168.1.1');
    expect(embeddedIpv4('2606:4700::1111')).toBeNull();
  });
});
