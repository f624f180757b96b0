/** Command-line entry: `npm start`. Lists every invalid setting and exits non-zero on bad settings. */
import { InvalidSettingsError, loadSettings } from './config/settings';
import { DEMO_PASSWORD, DEMO_USERNAMES } from './demo/seed';
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
  // The demo password is printed only where it works: with demo data on (never in production).
  const demo = settings.DEMO ? ` (demo users: ${DEMO_USERNAMES.join(', ')}; password ${DEMO_PASSWORD})` : '';
  process.stdout.write(`\n劳动保障监察案件管理 — open ${service.url}${demo}\n\n`);
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
