/** Command-line entry: `npm start`. Lists every invalid setting and exits non-zero on bad settings. */
import { InvalidSettingsError, loadSettings } from './config/settings';
import { startService } from './service';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (e) {
    if (e instanceof InvalidSettingsError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const service = await startService(settings);
  service.logger.info({ url: service.url, database: settings.DATABASE_URL ? 'mysql' : 'sqlite', engine: settings.ENGINE }, 'service started');
  process.stdout.write(`\n劳动保障监察案件管理 — open ${service.url} (demo users: intake, handler1, handler2, legal, supervisor, admin; password demo1234)\n\n`);
  const shutdown = async (signal: string) => {
    service.logger.info({ signal }, 'stopping');
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`start-up failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
