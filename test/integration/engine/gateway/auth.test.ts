/**
 * The gateways' authentication: OAuth client credentials against a local token issuer
 * (test/support/oauth-issuer.ts) with the real @camunda8/sdk client, and basic authentication; a
 * call with no, an expired, a foreign-issuer, a foreign-audience or a forged token is answered
 * UNAUTHENTICATED (gRPC) or 401 (REST) and changes nothing. And the rule that a gateway off the
 * loopback interface does not start without GATEWAY_AUTH.
 */
import crypto from 'node:crypto';
import { Camunda8 } from '@camunda8/sdk';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import pino from 'pino';
import { TestClock } from '../../../../src/clock/clock';
import { startConfiguredGateway, startGateway, startRestGateway, type RunningGateway, type RunningRestGateway } from '../../../../src/engine/gateway';
import { GatewayAuthenticator, gatewayAuthFromSettings } from '../../../../src/engine/gateway/auth';
import { ZEEBE_PROTO_PATH } from '../../../../src/engine/gateway/proto';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { simpleProcess } from '../../../fixtures/bpmn/diagram';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../../support/db';
import { startOAuthIssuer, type OAuthIssuer } from '../../../support/oauth-issuer';

type Callback = (err: grpc.ServiceError | null, res: Record<string, unknown>) => void;
type RawGateway = grpc.Client & Record<string, (req: Record<string, unknown>, md: grpc.Metadata, cb: Callback) => void>;

const AUDIENCE = 'zeebe-api';
const logger = pino({ level: 'silent' });

function rawClient(port: number): RawGateway {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(ZEEBE_PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }));
  const Gateway = (pkg.gateway_protocol as grpc.GrpcObject).Gateway as grpc.ServiceClientConstructor;
  return new Gateway(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as RawGateway;
}

function call(client: RawGateway, method: string, req: Record<string, unknown>, authorization?: string): Promise<Record<string, unknown>> {
  const md = new grpc.Metadata();
  if (authorization) md.set('authorization', authorization);
  return new Promise((resolve, reject) => client[method](req, md, (err, res) => (err ? reject(err) : resolve(res))));
}

const bearer = (t: string) => `Bearer ${t}`;

describe.each(testDbKinds())('gateway authentication on %s', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let issuer: OAuthIssuer;
  let gateway: RunningGateway;
  let rest: RunningRestGateway;
  let client: RawGateway;

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'gwauth');
    engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    issuer = await startOAuthIssuer({ clients: { zeebe: 'zecret' } });
    const auth = new GatewayAuthenticator({ mode: 'oauth', issuer: issuer.issuer, audience: AUDIENCE });
    gateway = await startGateway({ engine, port: 0, logger, auth });
    rest = await startRestGateway({ engine, port: 0, logger, auth, grpcPort: gateway.port });
    client = rawClient(gateway.port);
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await rest?.stop();
    await gateway?.stop();
    await issuer?.stop();
    await db?.close();
  }, 60_000);

  const definitions = async () => Number(((await db.ds.query('SELECT COUNT(*) AS n FROM engine_process_definitions')) as Array<{ n: number }>)[0].n);

  test('the SDK with OAuth client credentials gets a token from the issuer and is served, over gRPC and REST', async () => {
    const c8 = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${gateway.port}`,
      ZEEBE_REST_ADDRESS: `http://127.0.0.1:${rest.port}`,
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      ZEEBE_CLIENT_ID: 'zeebe',
      ZEEBE_CLIENT_SECRET: 'zecret',
      CAMUNDA_OAUTH_URL: issuer.tokenUrl,
      ZEEBE_TOKEN_AUDIENCE: AUDIENCE,
      CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_CONNECTION_TOLERANCE_MS: 50 },
    });
    const zbc = c8.getZeebeGrpcApiClient();
    try {
      expect((await zbc.topology()).brokers).toHaveLength(1);
      const deployed = await zbc.deployResource({ process: Buffer.from(simpleProcess('auth-ok', 'auth-ok-work')), name: 'auth-ok.bpmn' });
      expect(deployed.deployments[0].process.bpmnProcessId).toBe('auth-ok');
      expect(issuer.tokensIssued).toBeGreaterThan(0);
      const topology = await c8.getCamundaRestClient().getTopology();
      expect(topology.brokers).toHaveLength(1);
    } finally {
      await zbc.close();
    }
  });

  test('a missing, expired, foreign-issuer, foreign-audience or forged token is UNAUTHENTICATED and changes nothing', async () => {
    const before = await definitions();
    const deploy = { resources: [{ name: 'auth-refused.bpmn', content: Buffer.from(simpleProcess('auth-refused', 'x')) }] };
    const now = Math.floor(Date.now() / 1000);
    const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const refused: Array<[string, string | undefined]> = [
      ['missing', undefined],
      ['expired', bearer(issuer.sign({ aud: AUDIENCE, iat: now - 7200, exp: now - 3600 }))],
      ['wrong issuer', bearer(issuer.sign({ aud: AUDIENCE, iss: 'http://127.0.0.1:1/another-realm' }))],
      ['wrong audience', bearer(issuer.sign({ aud: 'operate-api' }))],
      ['forged signature', bearer(issuer.sign({ aud: AUDIENCE }, { key: forger }))],
      ['not a JWT', bearer('abc.def')],
      ['basic instead of bearer', `Basic ${Buffer.from('zeebe:zecret').toString('base64')}`],
    ];
    for (const [what, authorization] of refused) {
      const err = await call(client, 'DeployResource', deploy, authorization).then(() => null, (e: grpc.ServiceError) => e);
      expect({ what, code: err?.code }).toEqual({ what, code: grpc.status.UNAUTHENTICATED });
    }
    expect(await definitions()).toBe(before);
    // A valid token signed by the issuer, made by hand, is accepted.
    await expect(call(client, 'Topology', {}, bearer(issuer.sign({ aud: [AUDIENCE, 'other'] })))).resolves.toMatchObject({ clusterSize: 1 });
  });

  test('streams refuse too: ActivateJobs without a token ends UNAUTHENTICATED', async () => {
    const stream = (client as unknown as Record<string, (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<unknown>>)
      .ActivateJobs({ type: 'auth-ok-work', worker: 'w', timeout: '1000', maxJobsToActivate: 1, requestTimeout: '100' }, new grpc.Metadata());
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      stream.on('error', resolve);
      stream.on('data', () => undefined);
    });
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  test('the REST gateway answers 401 without a valid token', async () => {
    const url = `http://127.0.0.1:${rest.port}/v2/topology`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: bearer(issuer.sign({ aud: 'other' })) } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: bearer(issuer.sign({ aud: AUDIENCE })) } });
    expect(ok.status).toBe(200);
  });
});

describe('basic authentication and the settings', () => {
  test('basic: the configured account is served, another password is UNAUTHENTICATED', async () => {
    const db = await createTestDatabase('sqlite', 'gwbasic');
    const engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    const gateway = await startConfiguredGateway({
      GATEWAY_PORT: 0, HOST: '127.0.0.1', ENGINE: 'embedded', GATEWAY_AUTH: 'basic', GATEWAY_BASIC_USERNAME: 'demo', GATEWAY_BASIC_PASSWORD: 'demo-password',
    }, engine, logger);
    const client = rawClient(gateway!.port);
    try {
      const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      await expect(call(client, 'Topology', {}, basic('demo', 'demo-password'))).resolves.toMatchObject({ clusterSize: 1 });
      await expect(call(client, 'Topology', {}, basic('demo', 'wrong-password'))).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
      await expect(call(client, 'Topology', {})).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    } finally {
      client.close();
      await gateway!.stop();
      await db.close();
    }
  });

  test('off on loopback by default; on another interface the gateway needs GATEWAY_AUTH', () => {
    expect(gatewayAuthFromSettings({ HOST: '127.0.0.1' })).toEqual({ mode: 'none' });
    expect(() => gatewayAuthFromSettings({ HOST: '0.0.0.0' })).toThrow(/GATEWAY_AUTH/);
    expect(gatewayAuthFromSettings({ HOST: '0.0.0.0', GATEWAY_AUTH: 'none' })).toEqual({ mode: 'none' });
    expect(() => gatewayAuthFromSettings({ HOST: '127.0.0.1', GATEWAY_AUTH: 'oauth' })).toThrow(/GATEWAY_OAUTH_ISSUER/);
    expect(() => gatewayAuthFromSettings({ HOST: '127.0.0.1', GATEWAY_AUTH: 'basic' })).toThrow(/GATEWAY_BASIC_USERNAME/);
  });
});
