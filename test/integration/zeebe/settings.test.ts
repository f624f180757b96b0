/** The settings of Zeebe mode: what ENGINE=zeebe requires, and the SDK configuration built from them. */
import { InvalidSettingsError, loadSettings } from '../../../src/config/settings';
import { camundaConfig } from '../../../src/engine/zeebe';

function problems(env: Record<string, string>): string[] {
  try {
    loadSettings({ NODE_ENV: 'test', ...env });
    return [];
  } catch (e) {
    if (e instanceof InvalidSettingsError) return e.problems.map((p) => p.name).sort();
    throw e;
  }
}

describe('Zeebe mode settings', () => {
  it('requires the gRPC and REST addresses, and the credentials of the chosen authentication', () => {
    expect(problems({ ENGINE: 'zeebe' })).toEqual(['ZEEBE_GRPC_ADDRESS', 'ZEEBE_REST_ADDRESS']);
    const addresses = { ENGINE: 'zeebe', ZEEBE_GRPC_ADDRESS: 'grpcs://zeebe.example.cn:443', ZEEBE_REST_ADDRESS: 'https://camunda.example.cn' };
    expect(problems(addresses)).toEqual([]);
    expect(problems({ ...addresses, ZEEBE_AUTH: 'oauth' })).toEqual(['ZEEBE_CLIENT_ID', 'ZEEBE_CLIENT_SECRET', 'ZEEBE_OAUTH_URL']);
    expect(problems({ ...addresses, ZEEBE_AUTH: 'basic', ZEEBE_USERNAME: 'svc' })).toEqual(['ZEEBE_PASSWORD']);
    expect(problems({ ZEEBE_GRPC_ADDRESS: 'zeebe:26500' })).toEqual(['ZEEBE_GRPC_ADDRESS']);
    // The embedded engine ignores them.
    expect(problems({ ENGINE: 'embedded' })).toEqual([]);
  });

  it('builds the SDK configuration from our settings only', () => {
    const s = loadSettings({
      NODE_ENV: 'test', ENGINE: 'zeebe', ZEEBE_GRPC_ADDRESS: 'grpcs://zeebe.example.cn:443', ZEEBE_REST_ADDRESS: 'https://camunda.example.cn/',
      ZEEBE_AUTH: 'oauth', ZEEBE_CLIENT_ID: 'inspection', ZEEBE_CLIENT_SECRET: 's3cret', ZEEBE_OAUTH_URL: 'https://sso.example.cn/token', ZEEBE_TOKEN_AUDIENCE: 'zeebe-api',
      ZEEBE_CA_CERT_PATH: '/etc/ssl/office-ca.pem',
    });
    expect(camundaConfig(s)).toMatchObject({
      ZEEBE_GRPC_ADDRESS: 'grpcs://zeebe.example.cn:443', ZEEBE_REST_ADDRESS: 'https://camunda.example.cn', CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      ZEEBE_CLIENT_ID: 'inspection', ZEEBE_CLIENT_SECRET: 's3cret', CAMUNDA_OAUTH_URL: 'https://sso.example.cn/token', ZEEBE_TOKEN_AUDIENCE: 'zeebe-api',
      CAMUNDA_CUSTOM_ROOT_CERT_PATH: '/etc/ssl/office-ca.pem',
    });
    const none = camundaConfig(loadSettings({ NODE_ENV: 'test', ENGINE: 'zeebe', ZEEBE_GRPC_ADDRESS: 'grpc://127.0.0.1:26500', ZEEBE_REST_ADDRESS: 'http://127.0.0.1:8080' }));
    expect(none).toMatchObject({ CAMUNDA_AUTH_STRATEGY: 'NONE' });
    expect(none).not.toHaveProperty('ZEEBE_CLIENT_SECRET');
  });
});
