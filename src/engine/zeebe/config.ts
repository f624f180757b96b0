/**
 * The @camunda8/sdk configuration of Zeebe mode, built from our settings only: the SDK would otherwise
 * read its own ZEEBE_… and CAMUNDA_… variables, and settings.ts is the one reader of the environment.
 * Explicit values win over the SDK's environment lookup.
 */
import type { Camunda8 } from '@camunda8/sdk';
import type { Settings } from '../../config/settings';

type Camunda8Config = NonNullable<ConstructorParameters<typeof Camunda8>[0]>;

export type ZeebeSettings = Pick<Settings,
  'ZEEBE_GRPC_ADDRESS' | 'ZEEBE_REST_ADDRESS' | 'ZEEBE_AUTH' | 'ZEEBE_CLIENT_ID' | 'ZEEBE_CLIENT_SECRET' | 'ZEEBE_OAUTH_URL' | 'ZEEBE_TOKEN_AUDIENCE'
  | 'ZEEBE_USERNAME' | 'ZEEBE_PASSWORD' | 'ZEEBE_CA_CERT_PATH' | 'ZEEBE_TASK_POLL_MS'>;

export function camundaConfig(s: ZeebeSettings, tuning: { fastPolling?: boolean } = {}): Camunda8Config {
  if (!s.ZEEBE_GRPC_ADDRESS || !s.ZEEBE_REST_ADDRESS) throw new Error('ENGINE=zeebe needs ZEEBE_GRPC_ADDRESS and ZEEBE_REST_ADDRESS.');
  const auth: Camunda8Config =
    s.ZEEBE_AUTH === 'oauth'
      ? {
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        ZEEBE_CLIENT_ID: s.ZEEBE_CLIENT_ID,
        ZEEBE_CLIENT_SECRET: s.ZEEBE_CLIENT_SECRET,
        CAMUNDA_OAUTH_URL: s.ZEEBE_OAUTH_URL,
        ...(s.ZEEBE_TOKEN_AUDIENCE ? { ZEEBE_TOKEN_AUDIENCE: s.ZEEBE_TOKEN_AUDIENCE } : {}),
      }
      : s.ZEEBE_AUTH === 'basic'
        ? { CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: s.ZEEBE_USERNAME, CAMUNDA_BASIC_AUTH_PASSWORD: s.ZEEBE_PASSWORD }
        : { CAMUNDA_AUTH_STRATEGY: 'NONE' };
  return {
    ZEEBE_GRPC_ADDRESS: s.ZEEBE_GRPC_ADDRESS,
    ZEEBE_REST_ADDRESS: s.ZEEBE_REST_ADDRESS.replace(/\/+$/, ''),
    ...auth,
    ...(s.ZEEBE_CA_CERT_PATH ? { CAMUNDA_CUSTOM_ROOT_CERT_PATH: s.ZEEBE_CA_CERT_PATH } : {}),
    zeebeGrpcSettings: {
      // Our logger reports what matters; the SDK's own console logging would duplicate it.
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      ...(tuning.fastPolling
        ? { ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS: 5, ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 50, ZEEBE_GRPC_CLIENT_CONNECTION_TOLERANCE_MS: 50 }
        : {}),
    },
  };
}
