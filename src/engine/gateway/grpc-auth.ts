/**
 * Puts the gateway's authentication in front of every gRPC method: the call's `authorization`
 * metadata is checked before the method runs, and a call without valid credentials is answered
 * UNAUTHENTICATED (as Zeebe's gateway does), having touched nothing.
 */
import * as grpc from '@grpc/grpc-js';
import type { GatewayAuthenticator } from './auth';
import type { GatewayLogger } from './server';

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;
type AnyHandler = (call: AnyCall, callback?: grpc.sendUnaryData<unknown>) => void;

export function guardService(
  impl: grpc.UntypedServiceImplementation,
  service: grpc.ServiceDefinition,
  auth: GatewayAuthenticator,
  logger: GatewayLogger,
): grpc.UntypedServiceImplementation {
  const guarded: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(impl)) {
    const streaming = service[name]?.responseStream === true;
    const inner = handler as unknown as AnyHandler;
    const wrapped: AnyHandler = (call, callback) => {
      const header = call.metadata.get('authorization')[0];
      auth.check(typeof header === 'string' ? header : header?.toString('utf8')).then((r) => {
        if (r.ok) return inner(call, callback);
        logger.debug({ rpc: name, reason: r.reason }, 'gateway call refused: not authenticated');
        const err: Partial<grpc.StatusObject> = { code: grpc.status.UNAUTHENTICATED, details: `UNAUTHENTICATED: ${r.reason}`, metadata: new grpc.Metadata() };
        if (streaming) (call as grpc.ServerWritableStream<unknown, unknown>).emit('error', err);
        else callback?.(err, null);
      }, (e: unknown) => {
        logger.error({ err: e, rpc: name }, 'gateway authentication failed unexpectedly');
        const err: Partial<grpc.StatusObject> = { code: grpc.status.UNAVAILABLE, details: 'The gateway could not check the credentials; try again.', metadata: new grpc.Metadata() };
        if (streaming) (call as grpc.ServerWritableStream<unknown, unknown>).emit('error', err);
        else callback?.(err, null);
      });
    };
    guarded[name] = wrapped as unknown as grpc.UntypedHandleCall;
  }
  return guarded;
}
