/** The embedded engine's runtime: what the service wires up and the HTTP layer calls. */
export { EmbeddedEngine, canComplete, parseTimeToLive } from './engine';
export type {
  ActivatedJob, CreateInstanceRequest, CreatedInstance, ElementHistoryEntry, EngineOptions, IncidentView, InstanceView, JobStream,
  PublishMessageRequest, PublishedMessage, TaskQuery, UserTaskView,
} from './engine';
export { DeployedDefinitions, MemoryDefinitions } from './definitions';
export type { DefinitionInfo, DefinitionSource } from './definitions';
export { WorkerRuntime } from './worker-runtime';
export type { WorkerRuntimeOptions } from './worker-runtime';
export { serialTransaction } from './tx';
