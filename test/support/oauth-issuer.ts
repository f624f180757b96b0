/**
 * A small OAuth 2.0 token issuer for tests: client credentials grant at POST /token (form body, as
 * Camunda's SDK sends it), the discovery document and the RS256 key set (JWKS) a gateway reads.
 * Tests also sign tokens of their own with `sign` (expired, another issuer, another audience).
 *
 * Run on its own for Camunda's SDK suite against a secured gateway:
 *   npx tsx test/support/oauth-issuer.ts 18089   (clients: zeebe / zecret, as the SDK's env/sm.env)
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthIssuer {
  /** The issuer URL, the tokens' `iss`. */
  issuer: string;
  tokenUrl: string;
  jwksUrl: string;
  /** Signs a token with the issuer's key: `claims` are merged over iss, sub, iat and a one-hour exp. */
  sign(claims: Record<string, unknown>, opts?: { kid?: string; key?: crypto.KeyObject }): string;
  /** Token requests answered so far. */
  readonly tokensIssued: number;
  stop(): Promise<void>;
}

export async function startOAuthIssuer(opts: {
  port?: number;
  clients?: Record<string, string>;
  /** Audience of a token whose request names none. */
  defaultAudience?: string;
  lifetimeSec?: number;
} = {}): Promise<OAuthIssuer> {
  const clients = opts.clients ?? { zeebe: 'zecret' };
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(8).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  let issuer = '';
  let tokensIssued = 0;

  const sign = (claims: Record<string, unknown>, o: { kid?: string; key?: crypto.KeyObject } = {}): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: o.kid ?? kid };
    const body = { iss: issuer, iat: now, exp: now + (opts.lifetimeSec ?? 3600), ...claims };
    const input = `${b64(header)}.${b64(body)}`;
    return `${input}.${crypto.sign('sha256', Buffer.from(input), o.key ?? privateKey).toString('base64url')}`;
  };

  const server = http.createServer((req, res) => {
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      return send(200, { issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, grant_types_supported: ['client_credentials'] });
    }
    if (req.method === 'GET' && path === '/jwks') return send(200, { keys: [jwk] });
    if (req.method === 'POST' && path === '/token') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const id = form.get('client_id') ?? '';
        if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
        if (!(id in clients) || clients[id] !== form.get('client_secret')) return send(401, { error: 'invalid_client', error_description: 'Invalid client credentials' });
        tokensIssued++;
        const lifetime = opts.lifetimeSec ?? 3600;
        const aud = form.get('audience') || opts.defaultAudience || 'zeebe-api';
        send(200, { access_token: sign({ sub: id, azp: id, aud }), token_type: 'Bearer', expires_in: lifetime });
      });
      return;
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    sign,
    get tokensIssued() { return tokensIssued; },
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function b64(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 18089);
  void startOAuthIssuer({ port }).then((i) => {
    process.stdout.write(`OAuth issuer ${i.issuer} (token ${i.tokenUrl}, clients zeebe/zecret)\n`);
  });
}
