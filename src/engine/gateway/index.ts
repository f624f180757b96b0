/**
 * The embedded engine's Zeebe gateway, and how the service starts it from its settings.
 */
import type { Settings } from '../../config/settings';
import type { EmbeddedEngine } from '../runtime/engine';
import { startGateway, type GatewayLogger, type RunningGateway } from './server';

export { startGateway, GATEWAY_VERSION, DEFAULT_TENANT } from './server';
export type { GatewayLogger, GatewayOptions, RunningGateway } from './server';

/**
 * Starts the gateway on GATEWAY_PORT, on the service's HOST interface; answers null when GATEWAY_PORT
 * is unset, or when ENGINE=zeebe (then cases run on the cluster and serving the idle embedded engine
 * would only mislead the tools pointed at it).
 */
export async function startConfiguredGateway(
  settings: Pick<Settings, 'GATEWAY_PORT' | 'HOST' | 'ENGINE'>,
  engine: EmbeddedEngine,
  logger: GatewayLogger & { child?: (bindings: Record<string, unknown>) => GatewayLogger },
): Promise<RunningGateway | null> {
  if (settings.GATEWAY_PORT === undefined) return null;
  if (settings.ENGINE !== 'embedded') {
    logger.warn({ GATEWAY_PORT: settings.GATEWAY_PORT, ENGINE: settings.ENGINE }, 'GATEWAY_PORT is ignored: it serves only the embedded engine');
    return null;
  }
  return startGateway({ engine, port: settings.GATEWAY_PORT, host: settings.HOST, logger: logger.child?.({ module: 'gateway' }) ?? logger });
}
