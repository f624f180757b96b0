/**
 * Wires the service together: settings → database (migrations) → demo data → engine → HTTP.
 * Used by src/main.ts and by tests that need the whole service.
 */
import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { DataSource, In } from 'typeorm';
import { SessionService } from './auth/sessions';
import { Clock, TestClock, systemClock } from './clock/clock';
import { resolveSessionSecret } from './config/secrets';
import { Settings } from './config/settings';
import { openDatabase } from './db/data-source';
import { disableDemoAccounts, seedDemoData } from './demo/seed';
import { User, UserRole } from './db/entities';
import { createCore, Core, type CoreOptions } from './core';
import { startConfiguredGateway, type ConfiguredGateway } from './engine/gateway';
import { createApp } from './http/app';
import { createLogger } from './logging';

export interface RunningService {
  settings: Settings;
  ds: DataSource;
  clock: Clock;
  logger: Logger;
  server: http.Server;
  core: Core;
  /** The embedded engine's Zeebe gateway (and REST user task subset), when GATEWAY_PORT is set. */
  gateway: ConfiguredGateway | null;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Listen on this port instead of settings.PORT (0 = any free port). */
  port?: number;
  core?: CoreOptions;
}

export async function startService(settings: Settings, opts: StartOptions = {}): Promise<RunningService> {
  const logger = opts.logger ?? createLogger(settings.LOG_LEVEL);
  const secret = resolveSessionSecret(settings);
  const clock: Clock = settings.TEST_CLOCK ? new TestClock() : systemClock;
  const ds = await openDatabase({
    databaseUrl: settings.DATABASE_URL,
    sqlitePath: path.join(settings.DATA_DIR, 'inspection.sqlite'),
  });
  if (settings.DEMO && (await seedDemoData(ds, clock.now()))) logger.info('demo data seeded (users intake, handler1, handler2, legal, supervisor, admin, grid1, coordinator1; password demo1234)');
  if (settings.NODE_ENV === 'production') await checkProductionAccounts(ds, clock, logger);

  const sessions = new SessionService(ds, clock, {
    secret,
    ttlHours: settings.SESSION_TTL_HOURS,
    maxFailures: settings.LOGIN_MAX_FAILURES,
    lockMinutes: settings.LOGIN_LOCK_MINUTES,
    addressMaxFailures: settings.LOGIN_ADDRESS_MAX_FAILURES,
  });
  const core = await createCore(ds, clock, settings, logger, opts.core);
  const app = createApp(
    { settings: { ...settings, SESSION_SECRET: secret }, ds, clock, logger, sessions, engine: core.workflow, rules: core.rules, engineStatus: () => core.engineStatus() },
    { onClockAdvance: async () => { await core.engine.tick(); await core.supervision.runOnce(); } },
  );
  core.start();
  const gateway = await startConfiguredGateway(settings, core.engine, logger);
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? settings.PORT, settings.HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const url = `http://${settings.HOST}:${port}`;
  return {
    settings, ds, clock, logger, server, core, gateway, url,
    async stop() {
      // Waiting job polls and streams end before the database closes.
      await gateway?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      });
      await core.stop();
      if (ds.isInitialized) await ds.destroy();
    },
  };
}

/**
 * In production the published demo accounts must not open the service: a data folder that began as a
 * demo start still has them, so they are deactivated here (the service starts without them), loudly.
 * A store without an active administrator is pointed at the admin:create command.
 */
export async function checkProductionAccounts(ds: DataSource, clock: Clock, logger: Logger): Promise<void> {
  const disabled = await disableDemoAccounts(ds, clock.now());
  if (disabled.length) {
    logger.warn({ users: disabled }, 'NODE_ENV=production: demo accounts still using the demo password were deactivated; give each a new password (PATCH /api/users/:id) before reactivating it, or create an administrator with `npm run admin:create`');
  }
  const adminIds = (await ds.manager.find(UserRole, { where: { role: 'admin' } })).map((r) => r.userId);
  const admins = adminIds.length ? await ds.manager.count(User, { where: { id: In(adminIds), active: true } }) : 0;
  if (admins === 0) logger.warn('no active administrator: create the first one with `npm run admin:create -- --username <name> --display-name <name>`');
}
