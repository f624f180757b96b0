/**
 * One service record per document (送达), whichever page records it. The case page's service form
 * and the workflow's service task (form `service-record`, then the `document.record-service` step)
 * write the same record: recording on the case page while the workflow waits on that document's
 * service task completes the task with the same values, and the service step then reads the record
 * instead of writing a second one. A second record of the same document is refused.
 */
import type { EntityManager } from 'typeorm';
import { definitionByVersion, loadExecutable } from '../engine/deploy/definitions';
import type { ExecutableProcess } from '../engine/model/types';
import type { WorkflowEngine } from '../engine/port';
import { errors } from '../errors';
import { isMysqlManager } from './numbering';
import { listServices, recordService, type ServiceMethod, type ServiceRecord } from './documents';
import type { LegalRuleSet } from '../config/legal-rules';
import { chineseDateText, formatChinaTime } from '../deadlines/china-time';

export const SERVICE_FORM_ID = 'service-record';

export const SERVICE_METHOD_LABELS: Record<ServiceMethod, string> = {
  direct: '直接送达', left_with_witness: '留置送达', electronic: '电子送达', post: '邮寄送达', public_notice: '公告送达',
};

/** The service form's values (forms/service-record.form) for each method of the service record. */
export const FORM_METHOD_OF: Record<ServiceMethod, string> = {
  direct: 'direct', left_with_witness: 'left', electronic: 'electronic', post: 'post', public_notice: 'public-notice',
};

const chinaDay = (ms: number) => chineseDateText(ms);

export const serviceAlreadyRecorded = (existing: ServiceRecord) => errors.conflict(
  'SERVICE_ALREADY_RECORDED',
  `该文书已于${chinaDay(existing.servedAt)}${SERVICE_METHOD_LABELS[existing.method]}并记录，不能重复记录送达。`,
);

/** The document's service record, or null while it is unserved. */
export async function serviceOf(em: EntityManager, documentId: string): Promise<ServiceRecord | null> {
  return (await listServices(em, documentId))[0] ?? null;
}

/**
 * Records the service unless the document has one already (409 SERVICE_ALREADY_RECORDED). The
 * document's row is locked first so two recordings at once cannot both pass the check.
 */
export async function recordServiceOnce(em: EntityManager, documentId: string, input: unknown, rules?: LegalRuleSet): Promise<ServiceRecord> {
  await em.query(`SELECT id FROM documents WHERE id = ?${isMysqlManager(em) ? ' FOR UPDATE' : ''}`, [documentId]);
  const existing = await serviceOf(em, documentId);
  if (existing) throw serviceAlreadyRecorded(existing);
  return recordService(em, documentId, input, rules);
}

/** The process instances of a case, called ones included (embedded engine: by their root). */
async function caseInstanceKeys(em: EntityManager, caseId: string): Promise<string[]> {
  const own = ((await em.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId])) as { process_instance_key: string }[])
    .map((r) => String(r.process_instance_key));
  return own;
}

interface WaitingTask { key: string; elementId: string; name: string | null }

/**
 * The document type a service user task serves: the `documentType` header of the service step
 * (`document.record-service`) its flow leads to, as the diagram says; null when it leads elsewhere.
 */
export function servedTypeOf(process: ExecutableProcess, userTaskId: string): string | null {
  for (const flowId of process.elements[userTaskId]?.outgoing ?? []) {
    const next = process.elements[process.flows[flowId]?.targetId ?? ''];
    if (next && (next.kind === 'serviceTask' || next.kind === 'sendTask') && next.jobType === 'document.record-service') return next.headers.documentType ?? null;
  }
  return null;
}

async function processOf(em: EntityManager, definitionKey: string, bpmnProcessId: string, version: number | null): Promise<ExecutableProcess | null> {
  try {
    return await loadExecutable(em, definitionKey);
  } catch {
    // Zeebe mode keeps its definitions under the cluster's keys: find the version by process id.
    const def = version === null ? undefined : await definitionByVersion(em, bpmnProcessId, version);
    return def ? loadExecutable(em, def.key).catch(() => null) : null;
  }
}

/**
 * The open service task (form `service-record`) of the case that serves this document: the diagram
 * says which document type it serves, and its variables name this document as the issued one of that type.
 */
export async function waitingServiceTask(em: EntityManager, engine: WorkflowEngine, caseId: string, doc: { id: string; typeId: string }): Promise<WaitingTask | null> {
  const roots = await caseInstanceKeys(em, caseId);
  if (!roots.length) return null;
  const open = (await engine.listTasks({ rootProcessInstanceKeys: roots, limit: 500 })).filter((t) => t.formId === SERVICE_FORM_ID);
  for (const t of open) {
    const pi = await engine.getInstance(t.processInstanceKey).catch(() => null);
    const process = pi ? await processOf(em, pi.definitionKey, pi.bpmnProcessId, pi.version) : null;
    if (!process || servedTypeOf(process, t.elementId) !== doc.typeId) continue;
    const { variables } = await engine.getTask(t.key);
    const documents = variables.documents as Record<string, { id?: unknown }> | undefined;
    if (documents?.[doc.typeId]?.id === doc.id) return { key: t.key, elementId: t.elementId, name: t.name };
  }
  return null;
}

/** The service form's variables for a recorded service: what the service step and the receipt read. */
export function serviceFormVariables(s: ServiceRecord): Record<string, unknown> {
  const d = s.details;
  return Object.fromEntries(Object.entries({
    serviceMethod: FORM_METHOD_OF[s.method],
    servedAt: formatChinaTime(s.servedAt).replace(/\.\d{3}\+08:00$/, '+08:00'),
    serviceReceiver: s.receiver ?? undefined,
    serviceWitness: s.witness ?? undefined,
    serviceAddress: s.method === 'electronic' ? undefined : d.address,
    serviceElectronicAddress: s.method === 'electronic' ? d.address : undefined,
    electronicConsent: s.method === 'electronic' ? d.consent === true : undefined,
    postalTrackingNumber: d.trackingNumber,
    publicNoticeMedium: d.noticeMedium,
    serviceNote: d.notes,
  }).filter(([, v]) => v !== undefined && v !== null));
}
