// Tests never reach the network: any outbound connection that is not to this machine fails the test.
import net from 'node:net';

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patched(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host = typeof first === 'object' && first !== null ? first.host : typeof args[1] === 'string' ? args[1] : undefined;
  const isLocal = typeof first === 'object' && first?.path ? true : !host || /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.0\.0\.1)$/.test(host);
  if (!isLocal) throw new Error(`tests must not reach the network (tried ${host})`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (original as any).apply(this, args);
} as typeof net.Socket.prototype.connect;
