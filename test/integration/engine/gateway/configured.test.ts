/** The service's switch for the gateway: GATEWAY_PORT starts it on HOST; unset, or ENGINE=zeebe, leaves it off. */
import pino from 'pino';
import { TestClock } from '../../../../src/clock/clock';
import { startConfiguredGateway } from '../../../../src/engine/gateway';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { createTestDatabase, type TestDatabase } from '../../../support/db';
import { grpcClient } from '../../../support/zeebe-grpc';

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
    const zbc = grpcClient(gateway!.port);
    try {
      expect((await zbc.topology()).brokers[0].port).toBe(gateway!.port);
    } finally {
      await gateway!.stop();
      await zbc.close();
    }
  });
});
