/**
 * IPv4 addresses and CIDR blocks as unsigned 32-bit integers. Pure; the VPC room's only address
 * arithmetic lives here.
 */
export interface Cidr {
  /** The network address, host bits zero. */
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** `a.b.c.d` → integer, or undefined when it is not a dotted quad. */
export function parseIp(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function ipToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * A CIDR block as EC2 accepts it: a dotted quad, `/`, a prefix length 0–32, and no host bits
 * set (EC2 rejects `10.0.0.1/16` rather than silently truncating it).
 */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const base = parseIp(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (base === undefined || !/^(3[0-2]|[12]?\d)$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if ((base & ~mask(prefix)) >>> 0 !== 0) return undefined;
  return { base, prefix };
}

export const cidrToString = (c: Cidr): string => `${ipToString(c.base)}/${c.prefix}`;

/** The netmask of a prefix length, as an unsigned integer. */
export const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Number of addresses in the block. */
export const size = (c: Cidr): number => 2 ** (32 - c.prefix);

/** The last address of the block (the broadcast address). */
export const last = (c: Cidr): number => c.base + size(c) - 1;

export const containsIp = (c: Cidr, ip: number): boolean => ip >= c.base && ip <= last(c);

/** Whether `inner` lies wholly inside `outer`. */
export const contains = (outer: Cidr, inner: Cidr): boolean => inner.prefix >= outer.prefix && containsIp(outer, inner.base);

export const overlaps = (a: Cidr, b: Cidr): boolean => a.base <= last(b) && b.base <= last(a);

/**
 * Addresses AWS keeps for itself in every subnet: the network address, the next three (router,
 * DNS, future use) and the broadcast address. So a /28 has 11 usable addresses, a /20 4091.
 */
export const RESERVED_PER_SUBNET = 5;

/** The usable host addresses of a subnet, first to last, as AWS hands them out. */
export function* hostAddresses(c: Cidr): Generator<number> {
  for (let ip = c.base + 4; ip < last(c); ip++) yield ip;
}
