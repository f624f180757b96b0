/**
 * The REST gateway's signal broadcast and resource deletion (Camunda 8.8's `POST /v2/signals/broadcast`
 * and `POST /v2/resources/{key}/deletion`), over the same engine commands as the gRPC gateway's.
 */
import type { Vars } from '../port-types';
import type { EmbeddedEngine } from '../runtime/engine';
import { Problem, type Json } from './rest-problem';

export async function broadcastSignalRest(engine: EmbeddedEngine, body: Json, tenant: string, caller: string): Promise<Json> {
  if (body.tenantId !== undefined && body.tenantId !== tenant) throw new Problem(400, 'INVALID_ARGUMENT', `Only tenant ${tenant} exists.`);
  if (typeof body.signalName !== 'string' || !body.signalName) throw new Problem(400, 'INVALID_ARGUMENT', 'signalName is required.');
  const variables = body.variables ?? {};
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) throw new Problem(400, 'INVALID_ARGUMENT', 'variables must be a JSON object.');
  const res = await engine.broadcastSignal({ signalName: body.signalName, variables: variables as Vars, broadcastBy: caller });
  return { signalKey: res.signalKey, tenantId: tenant };
}

export async function deleteResourceRest(engine: EmbeddedEngine, key: string): Promise<void> {
  await engine.deleteResource(key);
}
