/**
 * Authentication of the gateways (gRPC and REST) when they are exposed beyond the loopback interface,
 * as a Camunda 8 self-managed gateway does it: OAuth client credentials against a configured issuer
 * (the client fetches a token from the issuer and sends it as `Authorization: Bearer <JWT>`; the
 * gateway checks the signature with the issuer's published keys, the issuer, the audience and the
 * validity period), or basic authentication with one configured account.
 *
 * Signatures are checked with node:crypto against the issuer's JWKS (discovered through
 * `<issuer>/.well-known/openid-configuration`, or GATEWAY_OAUTH_JWKS_URL) or a configured PEM key.
 * Keys are cached; a token naming an unknown key id fetches the key set again, at most every
 * JWKS_REFETCH_MS, so a key rotation is picked up without letting bad tokens hammer the issuer.
 * Tokens and passwords are never logged.
 */
import crypto from 'node:crypto';

export type GatewayAuthConfig =
  | { mode: 'none' }
  | { mode: 'oauth'; issuer: string; audience: string; jwksUrl?: string; publicKeyPem?: string }
  | { mode: 'basic'; username: string; password: string };

export type AuthResult = { ok: true; principal: string } | { ok: false; reason: string };

/** Skew allowed between the issuer's clock and ours when checking exp and nbf. */
const CLOCK_TOLERANCE_S = 30;
/** How long a fetched key set is trusted before it is fetched again. */
const JWKS_TTL_MS = 10 * 60_000;
/** Least time between two fetches caused by an unknown key id. */
const JWKS_REFETCH_MS = 30_000;
/** Longest Authorization header read; a JWT of a normal issuer is a few KiB. */
const MAX_HEADER = 16 * 1024;

/** JWS algorithms accepted: asymmetric only, so a public key can never be used as an HMAC secret. */
const ALGORITHMS: Record<string, { hash: string; kind: 'rsa' | 'pss' | 'ec' }> = {
  RS256: { hash: 'sha256', kind: 'rsa' }, RS384: { hash: 'sha384', kind: 'rsa' }, RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' }, PS384: { hash: 'sha384', kind: 'pss' }, PS512: { hash: 'sha512', kind: 'pss' },
  ES256: { hash: 'sha256', kind: 'ec' }, ES384: { hash: 'sha384', kind: 'ec' }, ES512: { hash: 'sha512', kind: 'ec' },
};

interface Jwk { kid?: string; kty: string; use?: string; alg?: string; [k: string]: unknown }

export class GatewayAuthenticator {
  private keys: Map<string, crypto.KeyObject> = new Map();
  private anonymousKeys: crypto.KeyObject[] = [];
  private fetchedAt = 0;
  private fetching: Promise<void> | null = null;

  constructor(readonly config: GatewayAuthConfig, private readonly now: () => number = Date.now) {
    if (config.mode === 'oauth' && config.publicKeyPem) this.anonymousKeys = [crypto.createPublicKey(config.publicKeyPem)];
  }

  get enabled(): boolean {
    return this.config.mode !== 'none';
  }

  /** Checks an Authorization header value; the reason of a refusal names what was wrong, never the credential. */
  async check(authorization: string | undefined): Promise<AuthResult> {
    const cfg = this.config;
    if (cfg.mode === 'none') return { ok: true, principal: 'anonymous' };
    if (!authorization) return { ok: false, reason: 'No credentials: send Authorization: Bearer <token>' + (cfg.mode === 'basic' ? ' or Basic' : '') + '.' };
    if (authorization.length > MAX_HEADER) return { ok: false, reason: 'The Authorization header is too long.' };
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    if (cfg.mode === 'basic') {
      if (scheme.toLowerCase() !== 'basic') return { ok: false, reason: 'This gateway expects basic authentication.' };
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      const pass = colon < 0 ? '' : decoded.slice(colon + 1);
      const ok = safeEqual(user, cfg.username) && safeEqual(pass, cfg.password);
      return ok ? { ok: true, principal: user } : { ok: false, reason: 'Wrong user name or password.' };
    }
    if (scheme.toLowerCase() !== 'bearer' || !value) return { ok: false, reason: 'This gateway expects a bearer token.' };
    return this.verifyJwt(value, cfg);
  }

  private async verifyJwt(token: string, cfg: Extract<GatewayAuthConfig, { mode: 'oauth' }>): Promise<AuthResult> {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'The bearer token is not a JWT.' };
    let header: { alg?: string; kid?: string };
    let claims: { iss?: unknown; aud?: unknown; exp?: unknown; nbf?: unknown; sub?: unknown; azp?: unknown; client_id?: unknown };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return { ok: false, reason: 'The bearer token is not a JWT.' };
    }
    const alg = header.alg ? ALGORITHMS[header.alg] : undefined;
    if (!alg) return { ok: false, reason: `The token's algorithm ${String(header.alg)} is not accepted.` };
    const keys = await this.keysFor(header.kid, cfg);
    if (!keys.length) return { ok: false, reason: 'The token was not signed by a key of the issuer.' };
    const input = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    const verified = keys.some((key) => {
      try {
        return crypto.verify(alg.hash, input, {
          key,
          ...(alg.kind === 'pss' ? { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST } : {}),
          ...(alg.kind === 'ec' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
        }, signature);
      } catch {
        return false;
      }
    });
    if (!verified) return { ok: false, reason: 'The token\'s signature is not valid.' };
    if (claims.iss !== cfg.issuer) return { ok: false, reason: 'The token was issued by another issuer.' };
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(cfg.audience)) return { ok: false, reason: 'The token is not meant for this gateway (audience).' };
    const nowS = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp + CLOCK_TOLERANCE_S <= nowS) return { ok: false, reason: 'The token has expired.' };
    if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_TOLERANCE_S > nowS) return { ok: false, reason: 'The token is not valid yet.' };
    const principal = [claims.azp, claims.client_id, claims.sub].find((v) => typeof v === 'string') as string | undefined;
    return { ok: true, principal: principal ?? 'oauth-client' };
  }

  private async keysFor(kid: string | undefined, cfg: Extract<GatewayAuthConfig, { mode: 'oauth' }>): Promise<crypto.KeyObject[]> {
    if (cfg.publicKeyPem) return this.anonymousKeys;
    const now = this.now();
    const stale = now - this.fetchedAt > JWKS_TTL_MS;
    const unknown = kid !== undefined && !this.keys.has(kid) && now - this.fetchedAt > JWKS_REFETCH_MS;
    if (stale || unknown) await this.refresh(cfg).catch(() => undefined);
    if (kid !== undefined) {
      const key = this.keys.get(kid);
      return key ? [key] : [];
    }
    return [...this.keys.values(), ...this.anonymousKeys];
  }

  private refresh(cfg: Extract<GatewayAuthConfig, { mode: 'oauth' }>): Promise<void> {
    this.fetching ??= (async () => {
      try {
        let jwksUrl = cfg.jwksUrl;
        if (!jwksUrl) {
          const discovery = await getJson(`${cfg.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`) as { jwks_uri?: unknown };
          if (typeof discovery.jwks_uri !== 'string') throw new Error('the issuer publishes no jwks_uri');
          jwksUrl = discovery.jwks_uri;
        }
        const set = await getJson(jwksUrl) as { keys?: Jwk[] };
        const keys = new Map<string, crypto.KeyObject>();
        const anonymous: crypto.KeyObject[] = [];
        for (const jwk of set.keys ?? []) {
          if (jwk.use && jwk.use !== 'sig') continue;
          if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
          const key = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' });
          if (jwk.kid) keys.set(jwk.kid, key);
          else anonymous.push(key);
        }
        this.keys = keys;
        this.anonymousKeys = anonymous;
      } finally {
        // Also after a failure: the next fetch waits JWKS_REFETCH_MS, so a down issuer is not asked on every call.
        this.fetchedAt = this.now();
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.json();
}

function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * The gateways' authentication from the settings. Unset GATEWAY_AUTH means none, which is allowed only
 * while HOST is a loopback address: a gateway reachable from other machines must say how it
 * authenticates (GATEWAY_AUTH=none there is an explicit choice, e.g. behind an authenticating proxy).
 */
export function gatewayAuthFromSettings(s: {
  HOST: string;
  GATEWAY_AUTH?: 'none' | 'oauth' | 'basic';
  GATEWAY_OAUTH_ISSUER?: string;
  GATEWAY_OAUTH_AUDIENCE?: string;
  GATEWAY_OAUTH_JWKS_URL?: string;
  GATEWAY_OAUTH_PUBLIC_KEY?: string;
  GATEWAY_BASIC_USERNAME?: string;
  GATEWAY_BASIC_PASSWORD?: string;
}): GatewayAuthConfig {
  const mode = s.GATEWAY_AUTH ?? 'none';
  if (s.GATEWAY_AUTH === undefined && !LOOPBACK.test(s.HOST)) {
    throw new Error(`The gateway would listen on ${s.HOST} without authentication: set GATEWAY_AUTH (oauth, basic, or none on purpose).`);
  }
  if (mode === 'oauth') {
    if (!s.GATEWAY_OAUTH_ISSUER) throw new Error('GATEWAY_AUTH=oauth needs GATEWAY_OAUTH_ISSUER.');
    return {
      mode, issuer: s.GATEWAY_OAUTH_ISSUER, audience: s.GATEWAY_OAUTH_AUDIENCE ?? 'zeebe-api',
      ...(s.GATEWAY_OAUTH_JWKS_URL ? { jwksUrl: s.GATEWAY_OAUTH_JWKS_URL } : {}),
      ...(s.GATEWAY_OAUTH_PUBLIC_KEY ? { publicKeyPem: s.GATEWAY_OAUTH_PUBLIC_KEY } : {}),
    };
  }
  if (mode === 'basic') {
    if (!s.GATEWAY_BASIC_USERNAME || !s.GATEWAY_BASIC_PASSWORD) throw new Error('GATEWAY_AUTH=basic needs GATEWAY_BASIC_USERNAME and GATEWAY_BASIC_PASSWORD.');
    return { mode, username: s.GATEWAY_BASIC_USERNAME, password: s.GATEWAY_BASIC_PASSWORD };
  }
  return { mode: 'none' };
}
