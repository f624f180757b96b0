/**
 * The embedded engine's Zeebe gateway, and how the service starts it from its settings.
 */
import type { Settings } from '../../config/settings';
import type { EmbeddedEngine } from '../runtime/engine';
import { GatewayAuthenticator, gatewayAuthFromSettings } from './auth';
import { startRestGateway } from './rest';

/** The settings of the gateways' authentication (auth.ts). */
type GatewayAuthSetting = 'GATEWAY_AUTH' | 'GATEWAY_OAUTH_ISSUER' | 'GATEWAY_OAUTH_AUDIENCE' | 'GATEWAY_OAUTH_JWKS_URL' | 'GATEWAY_OAUTH_PUBLIC_KEY'
  | 'GATEWAY_BASIC_USERNAME' | 'GATEWAY_BASIC_PASSWORD';
import { startGateway, type GatewayLogger, type RunningGateway } from './server';

export { startGateway, GATEWAY_VERSION, DEFAULT_TENANT } from './server';
export type { GatewayLogger, GatewayOptions, RunningGateway } from './server';
export { startRestGateway, type RunningRestGateway } from './rest';

/** The gRPC gateway, and the REST user task subset when GATEWAY_REST_PORT is set. */
export interface ConfiguredGateway extends RunningGateway {
  restPort: number | null;
}

/**
 * Starts the gateway on GATEWAY_PORT (and the REST user task subset on GATEWAY_REST_PORT), on the service's HOST interface; answers null when GATEWAY_PORT
 * is unset, or when ENGINE=zeebe (then cases run on the cluster and serving the idle embedded engine
 * would only mislead the tools pointed at it).
 */
export async function startConfiguredGateway(
  settings: Pick<Settings, 'GATEWAY_PORT' | 'HOST' | 'ENGINE'> & Partial<Pick<Settings, 'GATEWAY_REST_PORT' | GatewayAuthSetting>>,
  engine: EmbeddedEngine,
  logger: GatewayLogger & { child?: (bindings: Record<string, unknown>) => GatewayLogger },
): Promise<ConfiguredGateway | null> {
  if (settings.GATEWAY_PORT === undefined) return null;
  if (settings.ENGINE !== 'embedded') {
    logger.warn({ GATEWAY_PORT: settings.GATEWAY_PORT, ENGINE: settings.ENGINE }, 'GATEWAY_PORT is ignored: it serves only the embedded engine');
    return null;
  }
  const log = logger.child?.({ module: 'gateway' }) ?? logger;
  const auth = new GatewayAuthenticator(gatewayAuthFromSettings(settings));
  if (auth.enabled) log.info({ auth: auth.config.mode }, 'the gateways authenticate their clients');
  const grpcGateway = await startGateway({ engine, port: settings.GATEWAY_PORT, host: settings.HOST, logger: log, auth });
  const rest = settings.GATEWAY_REST_PORT === undefined ? null
    : await startRestGateway({ engine, port: settings.GATEWAY_REST_PORT, host: settings.HOST, logger: log, grpcPort: grpcGateway.port, auth }).catch(async (e: unknown) => {
      await grpcGateway.stop();
      throw e;
    });
  return {
    host: grpcGateway.host,
    port: grpcGateway.port,
    restPort: rest?.port ?? null,
    async stop() {
      await rest?.stop();
      await grpcGateway.stop();
    },
  };
}
