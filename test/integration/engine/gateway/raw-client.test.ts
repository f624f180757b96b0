/**
 * Parts of the gateway protocol the SDK does not reach: a plain gRPC client built from the same
 * .proto starts an instance by process definition key, deploys through the deprecated
 * DeployProcess, and sees malformed variables refused.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import pino from 'pino';
import { TestClock } from '../../../../src/clock/clock';
import { startGateway, type RunningGateway } from '../../../../src/engine/gateway';
import { ZEEBE_PROTO_PATH } from '../../../../src/engine/gateway/proto';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { simpleProcess } from '../../../fixtures/bpmn/diagram';
import { createTestDatabase, type TestDatabase } from '../../../support/db';

type Callback = (err: grpc.ServiceError | null, res: Record<string, unknown>) => void;
type RawGateway = grpc.Client & Record<string, (req: Record<string, unknown>, cb: Callback) => void>;

function call(client: RawGateway, method: string, req: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => client[method](req, (err, res) => (err ? reject(err) : resolve(res))));
}

describe('Zeebe gateway with a plain gRPC client', () => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let gateway: RunningGateway;
  let client: RawGateway;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'gateway-raw');
    engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    gateway = await startGateway({ engine, port: 0, logger: pino({ level: 'silent' }) });
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(ZEEBE_PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }));
    const Gateway = (pkg.gateway_protocol as grpc.GrpcObject).Gateway as grpc.ServiceClientConstructor;
    client = new Gateway(`127.0.0.1:${gateway.port}`, grpc.credentials.createInsecure()) as unknown as RawGateway;
  });

  afterAll(async () => {
    client?.close();
    await gateway?.stop();
    await db?.close();
  });

  test('DeployProcess, then CreateProcessInstance by processDefinitionKey', async () => {
    const deployed = await call(client, 'DeployProcess', { processes: [{ name: 'raw.bpmn', definition: Buffer.from(simpleProcess('raw', 'raw-work')) }] });
    const [meta] = deployed.processes as Array<{ bpmnProcessId: string; version: number; processDefinitionKey: string }>;
    expect(meta).toMatchObject({ bpmnProcessId: 'raw', version: 1 });
    const created = await call(client, 'CreateProcessInstance', { processDefinitionKey: meta.processDefinitionKey, variables: '{"a":1}' });
    expect(created).toMatchObject({ bpmnProcessId: 'raw', version: 1, processDefinitionKey: meta.processDefinitionKey, tenantId: '<default>' });
    expect((await engine.getInstance(created.processInstanceKey as string)).variables).toEqual({ a: 1 });

    await expect(call(client, 'CreateProcessInstance', { processDefinitionKey: '424242' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  test('variables that are not a JSON object are INVALID_ARGUMENT', async () => {
    for (const variables of ['[1,2]', '{oops', '"text"']) {
      await expect(call(client, 'CreateProcessInstance', { bpmnProcessId: 'raw', variables })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    }
  });

  test('ActivateJobs without a type or with no jobs wanted is INVALID_ARGUMENT; without long polling it ends at once', async () => {
    const activate = (req: Record<string, unknown>) => new Promise<{ jobs: number; status: grpc.StatusObject | grpc.ServiceError }>((resolve) => {
      const stream = (client as unknown as Record<string, (r: Record<string, unknown>) => grpc.ClientReadableStream<{ jobs: unknown[] }>>).ActivateJobs(req);
      let jobs = 0;
      stream.on('data', (d) => { jobs += d.jobs.length; });
      stream.on('error', (e: grpc.ServiceError) => resolve({ jobs, status: e }));
      stream.on('status', (s: grpc.StatusObject) => { if (s.code === grpc.status.OK) resolve({ jobs, status: s }); });
    });
    expect((await activate({ type: '', worker: 'w', timeout: 1000, maxJobsToActivate: 1 })).status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await activate({ type: 'raw-work', worker: 'w', timeout: 1000, maxJobsToActivate: 0 })).status.code).toBe(grpc.status.INVALID_ARGUMENT);
    const t0 = Date.now();
    expect(await activate({ type: 'nobody-works-this', worker: 'w', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 })).toMatchObject({ jobs: 0, status: { code: grpc.status.OK } });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
