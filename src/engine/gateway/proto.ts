/**
 * The Zeebe gateway protocol as shipped in @camunda8/sdk, loaded once, with the message shapes the
 * gateway reads and writes. int64 fields travel as decimal strings (`longs: String`) because engine
 * keys and Zeebe keys exceed what a JavaScript number holds exactly.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const ZEEBE_PROTO_PATH = require.resolve('@camunda8/sdk/dist/proto/zeebe.proto');

let cached: grpc.ServiceDefinition | null = null;

/** The `gateway_protocol.Gateway` service definition. */
export function gatewayService(): grpc.ServiceDefinition {
  if (!cached) {
    const pkg = protoLoader.loadSync(ZEEBE_PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    cached = pkg['gateway_protocol.Gateway'] as grpc.ServiceDefinition;
  }
  return cached;
}

/** An int64 as proto-loader hands it over with `longs: String`. */
export type Int64 = string;

export interface TopologyResponse {
  brokers: Array<{ nodeId: number; host: string; port: number; version: string; partitions: Array<{ partitionId: number; role: 'LEADER'; health: 'HEALTHY' }> }>;
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
}

export interface DeployResourceRequest { resources: Array<{ name: string; content: Buffer }>; tenantId: string }
export interface DeployProcessRequest { processes: Array<{ name: string; definition: Buffer }> }
export interface ProcessMetadata { bpmnProcessId: string; version: number; processDefinitionKey: Int64; resourceName: string; tenantId: string }
export interface FormMetadata { formId: string; version: number; formKey: Int64; resourceName: string; tenantId: string }
export interface DeployResourceResponse {
  key: Int64;
  deployments: Array<{ process: ProcessMetadata } | { form: FormMetadata } | { decision: Record<string, unknown> } | { decisionRequirements: Record<string, unknown> }>;
  tenantId: string;
}
export interface DeployProcessResponse { key: Int64; processes: ProcessMetadata[] }

export interface CreateProcessInstanceRequest {
  processDefinitionKey: Int64;
  bpmnProcessId: string;
  version: number;
  variables: string;
  startInstructions: Array<{ elementId: string }>;
  tenantId: string;
}
export interface CreateProcessInstanceResponse { processDefinitionKey: Int64; bpmnProcessId: string; version: number; processInstanceKey: Int64; tenantId: string }
export interface CreateProcessInstanceWithResultRequest { request: CreateProcessInstanceRequest | null; requestTimeout: Int64; fetchVariables: string[] }
export interface CreateProcessInstanceWithResultResponse extends CreateProcessInstanceResponse { variables: string }

export interface ActivateJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  maxJobsToActivate: number;
  fetchVariable: string[];
  requestTimeout: Int64;
  tenantIds: string[];
}
export interface StreamActivatedJobsRequest { type: string; worker: string; timeout: Int64; fetchVariable: string[]; tenantIds: string[] }
export interface ActivatedJobMessage {
  key: Int64;
  type: string;
  processInstanceKey: Int64;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: Int64;
  elementId: string;
  elementInstanceKey: Int64;
  customHeaders: string;
  worker: string;
  retries: number;
  deadline: Int64;
  variables: string;
  tenantId: string;
}
export interface ActivateJobsResponse { jobs: ActivatedJobMessage[] }

export interface CompleteJobRequest { jobKey: Int64; variables: string }
export interface FailJobRequest { jobKey: Int64; retries: number; errorMessage: string; retryBackOff: Int64; variables: string }
export interface ThrowErrorRequest { jobKey: Int64; errorCode: string; errorMessage: string; variables: string }
export interface UpdateJobRetriesRequest { jobKey: Int64; retries: number }
export interface UpdateJobTimeoutRequest { jobKey: Int64; timeout: Int64 }
export interface PublishMessageRequest { name: string; correlationKey: string; timeToLive: Int64; messageId: string; variables: string; tenantId: string }
export interface PublishMessageResponse { key: Int64; tenantId: string }
export interface CancelProcessInstanceRequest { processInstanceKey: Int64 }
export interface ResolveIncidentRequest { incidentKey: Int64 }
export interface SetVariablesRequest { elementInstanceKey: Int64; variables: string; local: boolean }
export interface SetVariablesResponse { key: Int64 }
export interface ModifyProcessInstanceRequest {
  processInstanceKey: Int64;
  activateInstructions: Array<{ elementId: string; ancestorElementInstanceKey: Int64; variableInstructions: Array<{ variables: string; scopeId: string }> }>;
  terminateInstructions: Array<{ elementInstanceKey: Int64 }>;
}
export interface MigrateProcessInstanceRequest {
  processInstanceKey: Int64;
  migrationPlan: { targetProcessDefinitionKey: Int64; mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }> } | null;
}

export type Empty = Record<string, never>;
