/**
 * Who is on the other end of a request, and whether it came over HTTPS.
 *
 * Koa runs with `proxy: false`: its own `proxy` switch believes X-Forwarded-* from whoever sends
 * them, and anyone can send them. Here the headers count only when the TCP peer is one of the
 * reverse proxies listed in TRUSTED_PROXY; then X-Forwarded-For is read from the right (the entry
 * the nearest proxy appended) past further trusted proxies, so a client cannot choose its address by
 * sending its own X-Forwarded-For through the proxy.
 */
import { BlockList, isIP } from 'node:net';
import type { AppContext } from './context';

export interface TrustedProxies {
  /** Whether `address` (already normalised) is one of the trusted proxies. */
  has(address: string): boolean;
}

const TRUST_NONE: TrustedProxies = { has: () => false };
const TRUST = Symbol('trustedProxies');

/** Parses TRUSTED_PROXY (validated by the settings): addresses, CIDR ranges and `loopback`. */
export function parseTrustedProxies(setting: string | undefined): TrustedProxies {
  if (!setting) return TRUST_NONE;
  const list = new BlockList();
  for (const raw of setting.split(',')) {
    const entry = raw.trim();
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [addr, bits] = entry.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return {
    has(address) {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** Makes the trusted proxies known to `clientAddress` and `requestIsHttps` for this request. */
export function rememberTrustedProxies(ctx: AppContext, trusted: TrustedProxies): void {
  (ctx as unknown as Record<symbol, TrustedProxies>)[TRUST] = trusted;
}

function trustOf(ctx: AppContext): TrustedProxies {
  return (ctx as unknown as Record<symbol, TrustedProxies | undefined>)[TRUST] ?? TRUST_NONE;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so one client has one address whichever socket family it used. */
export function normaliseAddress(address: string | undefined): string {
  const a = (address ?? '').trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return (mapped ? mapped[1] : a).toLowerCase();
}

function peerAddress(ctx: AppContext): string {
  return normaliseAddress(ctx.req.socket.remoteAddress) || 'unknown';
}

/** The client's address: the TCP peer, or, behind a trusted proxy, the address the proxies forwarded. */
export function clientAddress(ctx: AppContext): string {
  const trusted = trustOf(ctx);
  let address = peerAddress(ctx);
  if (!trusted.has(address)) return address;
  const forwarded = (ctx.get('X-Forwarded-For') || '').split(',').map(normaliseAddress).filter(Boolean);
  // From the right: each hop is believed only while the hop that reported it is a trusted proxy.
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = forwarded[i];
    // Something that is not an address ends the walk at the last proxy that could be believed.
    if (!isIP(hop)) break;
    address = hop;
    if (!trusted.has(hop)) break;
  }
  return address;
}

/** Whether the request reached us (or the trusted proxy in front of us) over HTTPS. */
export function requestIsHttps(ctx: AppContext): boolean {
  if (ctx.secure) return true;
  if (!trustOf(ctx).has(peerAddress(ctx))) return false;
  // The first entry is the protocol the outermost proxy was reached with (nginx, Caddy set one).
  const proto = (ctx.get('X-Forwarded-Proto') || '').split(',')[0].trim().toLowerCase();
  return proto === 'https';
}
