/** The service's switch for the gateway: GATEWAY_PORT starts it on HOST; unset, or ENGINE=zeebe, leaves it off. */
import { Camunda8 } from '@camunda8/sdk';
import pino from 'pino';
import { TestClock } from '../../../../src/clock/clock';
import { startConfiguredGateway } from '../../../../src/engine/gateway';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { createTestDatabase, type TestDatabase } from '../../../support/db';

describe('startConfiguredGateway', () => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'gateway-settings');
    engine = new EmbeddedEngine(db.ds, new TestClock(), {});
  });
  afterAll(async () => { await db?.close(); });

  test('off when GATEWAY_PORT is unset, and in Zeebe mode', async () => {
    expect(await startConfiguredGateway({ GATEWAY_PORT: undefined, HOST: '127.0.0.1', ENGINE: 'embedded' }, engine, logger)).toBeNull();
    const warn = jest.spyOn(logger, 'warn');
    expect(await startConfiguredGateway({ GATEWAY_PORT: 0, HOST: '127.0.0.1', ENGINE: 'zeebe' }, engine, logger)).toBeNull();
    expect(warn).toHaveBeenCalled();
  });

  test('on GATEWAY_PORT (0: any free port) and HOST, answering the SDK', async () => {
    const gateway = await startConfiguredGateway({ GATEWAY_PORT: 0, HOST: '127.0.0.1', ENGINE: 'embedded' }, engine, logger);
    expect(gateway).not.toBeNull();
    const zbc = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${gateway!.port}`,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_CONNECTION_TOLERANCE_MS: 50 },
    }).getZeebeGrpcApiClient();
    try {
      expect((await zbc.topology()).brokers[0].port).toBe(gateway!.port);
    } finally {
      await gateway!.stop();
      await zbc.close();
    }
  });
});
