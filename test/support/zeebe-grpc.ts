/**
 * The embedded engine behind its Zeebe gateways, as the gateway tests drive it: a fresh database, the
 * engine, the gRPC gateway (and the REST subset when asked), and the real @camunda8/sdk gRPC client;
 * the gRPC codes they expect and how they read a refusal. Also the gateways alone, for Zeebe mode
 * tests that point the service at them as at a cluster.
 */
import { Camunda8 } from '@camunda8/sdk';
import pino from 'pino';
import { TestClock } from '../../src/clock/clock';
import { loadSettings, type Settings } from '../../src/config/settings';
import { startGateway, startRestGateway, type RunningGateway, type RunningRestGateway } from '../../src/engine/gateway';
import { EmbeddedEngine } from '../../src/engine/runtime/engine';
import { createTestDatabase, type TestDatabase, type TestDbKind } from './db';

export type ZeebeClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;
type GrpcSettings = NonNullable<NonNullable<ConstructorParameters<typeof Camunda8>[0]>['zeebeGrpcSettings']>;

/** gRPC status codes the tests expect. */
export const GrpcCode = { INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9, UNIMPLEMENTED: 12 } as const;

export const quietLogger = pino({ level: 'silent' });

/**
 * The SDK's gRPC client for a gateway on this machine without authentication. No retries, so a refusal
 * reaches the test as it was answered; the SDK keeps a timer per connection (the tolerance) running
 * after close, and a short one lets Jest exit promptly.
 */
export function grpcClient(port: number, settings: Partial<GrpcSettings> = {}): ZeebeClient {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${port}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_CONNECTION_TOLERANCE_MS: 50, ...settings },
  }).getZeebeGrpcApiClient();
}

/** The gRPC code and details of a call that must be refused; a call that succeeds fails the test. */
export async function rejection(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: number; details?: string; message: string };
    return { code: err.code ?? -1, details: err.details ?? err.message };
  }
  throw new Error('expected the call to be refused');
}

/** Polls `probe` until it answers something, for what the gateways or Zeebe mode do in the background. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface EngineGateways {
  gateway: RunningGateway;
  rest: RunningRestGateway;
  /** Settings of a Zeebe mode service whose cluster is these gateways. */
  zeebeSettings(): Settings;
  /** The REST gateway first, then the gRPC one: it answers the workers' pending long polls. */
  stop(): Promise<void>;
}

/** Both gateways of `engine` on free ports, the REST one naming the gRPC one in its topology as a cluster's does. */
export async function startEngineGateways(engine: EmbeddedEngine): Promise<EngineGateways> {
  const gateway = await startGateway({ engine, port: 0, logger: quietLogger, recheckMs: 200 });
  const rest = await startRestGateway({ engine, port: 0, logger: quietLogger, grpcPort: gateway.port });
  return {
    gateway,
    rest,
    zeebeSettings: () => loadSettings({
      NODE_ENV: 'test', LOG_LEVEL: 'silent', ENGINE: 'zeebe',
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${gateway.port}`, ZEEBE_REST_ADDRESS: `http://127.0.0.1:${rest.port}`, ZEEBE_TASK_POLL_MS: '200',
    }),
    async stop() {
      await rest.stop();
      await gateway.stop();
    },
  };
}

export interface GatewayUnderTest {
  db: TestDatabase;
  engine: EmbeddedEngine;
  gateway: RunningGateway;
  rest: RunningRestGateway;
  zbc: ZeebeClient;
  /** Gateways, client and database, in that order. */
  stop(): Promise<void>;
}

/**
 * A fresh database named after `label`, the embedded engine on it (not started: the tests drive jobs
 * and timers themselves), its two gateways and the SDK's gRPC client.
 */
export async function startGatewayUnderTest(kind: TestDbKind, label: string): Promise<GatewayUnderTest> {
  const db = await createTestDatabase(kind, label);
  const engine = new EmbeddedEngine(db.ds, new TestClock(), {});
  const gateways = await startEngineGateways(engine);
  const zbc = grpcClient(gateways.gateway.port);
  return {
    db, engine, gateway: gateways.gateway, rest: gateways.rest, zbc,
    async stop() {
      await gateways.stop();
      await zbc.close();
      await db.close();
    },
  };
}
