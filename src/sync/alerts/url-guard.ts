import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { errors } from '../../shared/errors/index.js';
import { classifyAddress } from './ip-ranges.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name → addresses; injectable so tests can play a DNS server that answers with private addresses. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Names that are internal whatever they resolve to. */
const internalNames = [
  /^localhost$/,
  /\.localhost$/,
  /^localhost\.localdomain$/,
  /^metadata\.google\.internal$/,
  /^metadata$/,
  /^instance-data$/,
];

/**
 * The operator's exceptions: IP addresses, CIDR ranges (`10.1.0.0/16`, `fd00::/8`) and exact host names.
 * Everything else that is private, loopback, link-local, metadata or otherwise special is refused.
 */
export interface UrlPolicy {
  /** Why this address is refused, or null when allowed. */
  refuseAddress(address: string): string | null;
  /** The host name itself is allow-listed (its addresses are then not checked). */
  allowsName(hostname: string): boolean;
}

export function createUrlPolicy(allow: readonly string[] = []): UrlPolicy {
  const allowed = new BlockList();
  const names = new Set<string>();
  const bad: string[] = [];
  for (const raw of allow) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    const [address, prefixText] = entry.split('/');
    const family = isIP(address ?? '');
    if (family !== 0 && address !== undefined) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) bad.push(raw);
      else allowed.addSubnet(address, prefix, type);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(entry)) {
      names.add(entry.replace(/\.$/, ''));
    } else bad.push(raw);
  }
  if (bad.length > 0) {
    throw errors.validation(
      `invalid allow-list entries: ${bad.join(', ')}`,
      bad.map((b) => ({ path: ['allow'], message: `${b} is not an IP address, CIDR range or host name` })),
    );
  }
  return {
    refuseAddress(address) {
      const family = isIP(address);
      if (family !== 0 && allowed.check(address, family === 4 ? 'ipv4' : 'ipv6')) return null;
      return classifyAddress(address);
    },
    allowsName: (hostname) => names.has(hostname.toLowerCase().replace(/\.$/, '')),
  };
}

export type UrlCheck = { ok: true; url: URL; addresses: ResolvedAddress[] } | { ok: false; reason: string };

/** The URL's host as an address or name: brackets of IPv6 literals and a trailing dot removed. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/**
 * Checks a user-configured URL: http(s) only, no credentials, and every address it names or resolves to
 * public (unless allow-listed). IP spellings such as `127.1`, `0x7f.0.0.1` or `2130706433` are normalised
 * by the WHATWG URL parser first; IPv4 inside IPv6 (`::ffff:127.0.0.1`, NAT64, 6to4) is unwrapped.
 * `resolve: false` skips DNS: the request's own lookup then checks the answers (`guardedLookup`).
 */
export async function checkUrl(
  input: string | URL,
  options: { policy: UrlPolicy; resolver?: HostResolver; resolve?: boolean },
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: `scheme ${url.protocol} is not http or https` };
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'credentials in the URL are not allowed' };
  const host = hostOf(url);
  const { policy } = options;
  if (policy.allowsName(host)) return { ok: true, url, addresses: [] };
  if (isIP(host) !== 0) {
    const reason = policy.refuseAddress(host);
    return reason === null
      ? { ok: true, url, addresses: [{ address: host, family: isIP(host) === 6 ? 6 : 4 }] }
      : { ok: false, reason: `${host} is a ${reason} address` };
  }
  if (internalNames.some((pattern) => pattern.test(host.toLowerCase())))
    return { ok: false, reason: `${host} is an internal host name` };
  if (options.resolve === false) return { ok: true, url, addresses: [] };
  return checkAnswers(host, policy, options.resolver ?? systemResolver).then((result) =>
    result.ok ? { ok: true, url, addresses: result.addresses } : result,
  );
}

async function checkAnswers(
  host: string,
  policy: UrlPolicy,
  resolver: HostResolver,
): Promise<{ ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: string }> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolver(host);
  } catch (error) {
    return {
      ok: false,
      reason: `${host} does not resolve: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  if (policy.allowsName(host)) return { ok: true, addresses };
  // Every answer must pass: a name with one public and one private address could connect to either.
  for (const a of addresses) {
    const reason = policy.refuseAddress(a.address);
    if (reason !== null)
      return { ok: false, reason: `${host} resolves to ${a.address}, a ${reason} address` };
  }
  return { ok: true, addresses };
}

/** Raised by `guardedLookup` when a name resolves to a refused address; never retried. */
export class RefusedAddressError extends Error {
  readonly code = 'ERR_REFUSED_ADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that checks the answers it connects to, so a DNS answer that changes
 * between the check and the connection (rebinding) cannot reach a refused address.
 */
export function guardedLookup(policy: UrlPolicy, resolver: HostResolver = systemResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    checkAnswers(hostname, policy, resolver).then(
      (result) => {
        if (!result.ok) return callback(new RefusedAddressError(result.reason), '');
        const usable =
          wanted === undefined ? result.addresses : result.addresses.filter((a) => a.family === wanted);
        const first = usable[0];
        if (first === undefined)
          return callback(new RefusedAddressError(`${hostname} has no IPv${wanted ?? ''} address`), '');
        if (options.all)
          callback(
            null,
            usable.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
    );
  };
}
