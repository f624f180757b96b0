/**
 * The gateway's BroadcastSignal and DeleteResource: thin translations of the gRPC messages into the
 * embedded engine's commands (runtime/commands/signals.ts, delete-resource.ts). Refusals are the
 * engine's rejection kinds, mapped once in status.ts (a version with running instances:
 * FAILED_PRECONDITION; an unknown key: NOT_FOUND).
 */
import type { Vars } from '../port-types';
import type { EmbeddedEngine } from '../runtime/engine';
import type { GatewayLogger } from './server';
import { invalidArgument } from './status';

export interface BroadcastSignalRequest { signalName: string; variables: string; tenantId: string }
export interface BroadcastSignalResponse { key: string; tenantId: string }
export interface DeleteResourceRequest { resourceKey: string }

export function signalAndResourceRpcs(engine: EmbeddedEngine, opts: {
  logger: GatewayLogger;
  tenant: string;
  checkTenant: (tenantId: string | undefined) => void;
  parseVariables: (json: string, field: string) => Vars | undefined;
  /** Recorded with the signal: who broadcast it. */
  caller: string;
}) {
  return {
    async broadcastSignal(req: BroadcastSignalRequest): Promise<BroadcastSignalResponse> {
      opts.checkTenant(req.tenantId);
      if (!req.signalName) throw invalidArgument('Expected a signal name, but none was given.');
      const res = await engine.broadcastSignal({ signalName: req.signalName, variables: opts.parseVariables(req.variables, 'variables'), broadcastBy: opts.caller });
      opts.logger.info({ signalKey: res.signalKey, triggered: res.triggeredProcessInstanceKeys.length, started: res.startedProcessInstanceKeys.length },
        'signal broadcast through the gateway');
      return { key: res.signalKey, tenantId: opts.tenant };
    },

    async deleteResource(req: DeleteResourceRequest): Promise<Record<string, never>> {
      const deleted = await engine.deleteResource(String(req.resourceKey));
      opts.logger.info({ resourceKey: req.resourceKey, kind: deleted.kind, id: deleted.id, version: deleted.version }, 'resource deleted through the gateway');
      return {};
    },
  };
}
