/**
 * The trust boundary under hostile input: a corpus of refused requests across every write route of
 * the API (and the few reads whose query can be hostile), on SQLite and MariaDB.
 *
 * Each entry names who sends it, the method, the path, the headers and the raw body, and the refusal
 * it must get: status and `error.code` (and, where the field matters, the `details` path). Each entry
 * also proves that nothing was written: the row count of every table of the test database is the same
 * before and after. The tables are listed from the database itself, so a table added later is covered
 * without touching this file.
 *
 * Bodies are sent as raw strings, not through supertest's serializer: `__proto__` and `constructor`
 * keys only survive as JSON text (an object literal with `__proto__` sets the prototype instead of a
 * key), and content types, charsets and malformed JSON have to reach the server exactly as written.
 *
 * The entries run one after the other against one app per database. Entries that could complete the
 * open task if the server let them through run last, so that a missing check fails its own entry and
 * not every entry after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { inTransaction } from '../../../src/db/data-source';
import { Office } from '../../../src/db/entities';
import { documentTypes } from '../../../src/documents/document-types';
import { issueDocument } from '../../../src/documents/documents';
import { queueMail } from '../../../src/mail';
import { DECISIONS_DIR } from '../../../src/paths';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { countRows, listTables, untilAtRest } from '../../support/db-state';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

jest.setTimeout(300_000);

type Username = 'intake' | 'handler1' | 'handler2' | 'legal' | 'supervisor' | 'admin';
/** `spare` is a second session of intake, for entries that would end the session they are sent with. */
type Who = 'anonymous' | Username | 'spare';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Records made in beforeAll that entries point at. */
interface Fixtures {
  /** A filed inspection case of handler1's grid (JF-01), waiting in Task_Investigate. */
  caseId: string;
  caseNumber: string;
  /** Task_Investigate of that case: candidate group JF-01, open. */
  taskKey: string;
  /** The case's inspection-case process instance. */
  processInstanceKey: string;
  /** A document and a mail of the case. */
  documentId: string;
  mailId: string;
  /** The demo employer of JF-01. */
  employerId: string;
  gridId: string;
  handler2Id: string;
  /** An hour after the fixtures were made (ISO), a valid time of service. */
  servedAt: string;
  /** A month ahead (YYYY-MM-DD), a valid supervision due date. */
  nextMonth: string;
}

interface Expected {
  status: number;
  code: string;
  /** A path `error.details` must name. */
  detailPath?: string;
}

interface Entry {
  name: string;
  who: Who;
  method: Method;
  path: string | ((f: Fixtures) => string);
  headers?: Record<string, string>;
  /** The raw body; sent as application/json unless `headers` names another content type. */
  body?: string | ((f: Fixtures) => string);
  /** The refusal; a list of equally right refusals where the product may answer either. */
  expect: Expected | Expected[];
}

// ---------------------------------------------------------------------------------------------
// Hostile material

const json = (value: unknown) => JSON.stringify(value);
/** `{"a":{"a":…1…}}` nested `depth` objects deep, as text (JSON.stringify of such an object recurses as deep). */
const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
/** An object with `n` keys v0…v(n-1). */
const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i]));
const RANDOM_UUID = '3f0c9a52-5a4b-4c4e-9a31-0d8b1c7e2f10';
/** A numeric engine key no test makes: far above what the key blocks hand out in a test run. */
const FORGED_KEY = '9007199254740000';
const HUNDRED_K = 'x'.repeat(100_000);
/** Characters a form never types: NUL, bell, escape (ANSI colours), DEL, a C1 control. */
const CONTROL = { nul: 'a\u0000b', bell: '某公司\u0007', ansi: '\u001b[31m红色\u001b[0m', del: 'ab\u007f', c1: 'ab\u0085c' };
/** Right-to-left override: makes "…exe.pdf" read as "…fdp.exe"; no Chinese name or summary needs it. */
const RTL_OVERRIDE = '郑州\u202Efdp.exe';
const HTML_BASE64 = Buffer.from('<html><script>fetch("/api/users")</script></html>').toString('base64');
const WEAK_PASSWORDS = ['12345678', 'password'];

/** A valid employer for JF-01: entries that must be refused for another reason send this, so only that reason can refuse them. */
const employerBody = (f: Fixtures, extra: Record<string, unknown> = {}) => json({ name: '郑州测试劳务有限公司', address: '解放路 1 号', gridId: f.gridId, ...extra });
/** The complaint that registers when nothing is wrong with it (intake). */
const complaint = (overrides: Record<string, unknown> = {}) => json(complaintBody(overrides));
/** A complete, valid investigation record (form investigation-record) plus `extra`. */
const investigationVariables = (extra: Record<string, unknown> = {}) => ({
  findings: '经查，该公司拖欠 12 名工人工资 36000 元。', evidence: '工资表、考勤记录', investigationOutcome: 'order-to-correct',
  correctionDays: 10, correctionRequirements: '十日内支付拖欠工资', workersOwed: 12, amountOwed: 36000, monthsOwed: 3, ...extra,
});
/** A year's holiday schedule as the State Council's notice gives it (admin). */
const calendarBody = (entries: { date: string; kind: string; name: string }[] = [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]) =>
  json({ source: '国务院办公厅关于2027年部分节假日安排的通知', publishedAt: '2026-11-10', entries });
/** Five years from now: no service is recorded before it happens. */
const YEARS_AHEAD = new Date(Date.now() + 5 * 365 * 86_400_000).toISOString();

// ---------------------------------------------------------------------------------------------
/** The shipped discretion table: saved under another resource's id it is refused. */
const DMN_OF_PENALTY = fs.readFileSync(path.join(DECISIONS_DIR, 'penalty-discretion.dmn'), 'utf8');

// The corpus

/** Every write route of the API, with a path that reaches a real record where it takes an id. */
const WRITE_ROUTES: { method: Method; path: (f: Fixtures) => string }[] = [
  { method: 'POST', path: () => '/api/users' },
  { method: 'PATCH', path: (f) => `/api/users/${f.handler2Id}` },
  { method: 'POST', path: () => '/api/grids' },
  { method: 'POST', path: () => '/api/employers' },
  { method: 'PATCH', path: (f) => `/api/employers/${f.employerId}` },
  { method: 'POST', path: (f) => `/api/employers/${f.employerId}/move` },
  { method: 'POST', path: () => '/api/employers/import' },
  { method: 'POST', path: () => '/api/employers/place-by-rules' },
  { method: 'POST', path: () => '/api/grid-staff' },
  { method: 'PATCH', path: () => `/api/grid-staff/${RANDOM_UUID}` },
  { method: 'POST', path: () => `/api/grid-staff/${RANDOM_UUID}/trainings` },
  { method: 'POST', path: () => '/api/address-rules' },
  { method: 'PUT', path: () => `/api/address-rules/${RANDOM_UUID}` },
  { method: 'POST', path: () => '/api/complaints' },
  { method: 'POST', path: (f) => `/api/cases/${f.caseId}/reveal` },
  { method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/claim` },
  { method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/unclaim` },
  { method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/assign` },
  { method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete` },
  { method: 'POST', path: () => '/api/messages' },
  { method: 'POST', path: () => '/api/process-instances' },
  { method: 'POST', path: (f) => `/api/process-instances/${f.processInstanceKey}/cancel` },
  { method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables` },
  { method: 'POST', path: () => `/api/incidents/${FORGED_KEY}/resolve` },
  { method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair` },
  { method: 'POST', path: () => '/api/workflows/inspection-case/migrations/preview' },
  { method: 'POST', path: () => '/api/workflows/inspection-case/migrations' },
  { method: 'POST', path: () => `/api/instance-migrations/${RANDOM_UUID}/resume` },
  { method: 'POST', path: () => '/api/signals' },
  { method: 'POST', path: () => '/api/workflows' },
  { method: 'POST', path: () => '/api/workflows/check' },
  { method: 'PUT', path: () => '/api/workflows/inspection-case/draft' },
  { method: 'PUT', path: () => '/api/decision-tables/penalty-discretion-drg/draft' },
  { method: 'POST', path: () => '/api/decision-tables/penalty-discretion-drg/deploy' },
  { method: 'POST', path: () => '/api/decision-tables/penalty-discretion-drg/evaluation' },
  { method: 'POST', path: () => '/api/templates/complaint-register' },
  { method: 'POST', path: () => '/api/templates/complaint-register/preview' },
  { method: 'POST', path: (f) => `/api/documents/${f.documentId}/service` },
  { method: 'POST', path: (f) => `/api/mail/${f.mailId}/requeue` },
  { method: 'PUT', path: () => '/api/contacts/court' },
  { method: 'POST', path: (f) => `/api/supervision/cases/${f.caseId}/supervise` },
  { method: 'POST', path: () => '/api/test/clock' },
  { method: 'PUT', path: () => '/api/calendar/years/2027' },
  { method: 'POST', path: () => '/api/prevention/plans' },
  { method: 'POST', path: () => '/api/prevention/warnings/reports' },
  { method: 'POST', path: () => `/api/prevention/warnings/${RANDOM_UUID}/reopen` },
  { method: 'POST', path: () => '/api/prevention/warnings/run-rules' },
  { method: 'POST', path: () => '/api/credit/listings' },
  { method: 'POST', path: () => `/api/credit/listings/${RANDOM_UUID}/defence` },
  { method: 'POST', path: () => `/api/credit/listings/${RANDOM_UUID}/repair` },
  { method: 'POST', path: () => '/api/inspection-items' },
  { method: 'PATCH', path: () => `/api/inspection-items/${RANDOM_UUID}` },
  { method: 'POST', path: () => '/api/inspector-recusals' },
  { method: 'POST', path: () => '/api/random-draws' },
  { method: 'POST', path: () => `/api/random-draws/${RANDOM_UUID}/results/${RANDOM_UUID}` },
  { method: 'POST', path: () => `/api/random-draws/${RANDOM_UUID}/publish` },
  { method: 'POST', path: () => '/api/publications' },
  { method: 'POST', path: () => `/api/publications/${RANDOM_UUID}/confirm` },
  { method: 'POST', path: () => '/api/written-reviews' },
  { method: 'POST', path: () => `/api/written-reviews/employers/${RANDOM_UUID}/submission` },
  { method: 'POST', path: () => `/api/written-reviews/${RANDOM_UUID}/import` },
  { method: 'POST', path: () => '/api/credit/grading/runs' },
  { method: 'POST', path: () => `/api/credit/grading/grades/${RANDOM_UUID}/change` },
  { method: 'POST', path: () => `/api/credit/grading/grades/${RANDOM_UUID}/objections` },
  { method: 'POST', path: () => `/api/credit/grading/objections/${RANDOM_UUID}/decision` },
];

/** Fixtures as route placeholders, to name entries before the fixtures exist. */
const PLACEHOLDERS: Fixtures = {
  caseId: ':caseId', caseNumber: ':caseNumber', taskKey: ':taskKey', processInstanceKey: ':processInstanceKey', documentId: ':documentId',
  mailId: ':mailId', employerId: ':employerId', gridId: ':gridId', handler2Id: ':userId', servedAt: ':servedAt', nextMonth: ':nextMonth',
};

const UNAUTHENTICATED: Expected = { status: 401, code: 'UNAUTHENTICATED' };
const VALIDATION = (detailPath?: string): Expected => ({ status: 400, code: 'VALIDATION_FAILED', ...(detailPath ? { detailPath } : {}) });
const FORBIDDEN: Expected = { status: 403, code: 'FORBIDDEN' };
const NOT_FOUND: Expected = { status: 404, code: 'NOT_FOUND' };
const CROSS_SITE: Expected = { status: 403, code: 'CROSS_SITE_REQUEST' };
const UNSUPPORTED: Expected = { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
const FORBIDDEN_KEY: Expected = { status: 400, code: 'BODY_FORBIDDEN_KEY' };
const TOO_DEEP: Expected = { status: 400, code: 'BODY_TOO_DEEP' };
const TOO_MANY_KEYS: Expected = { status: 400, code: 'BODY_TOO_MANY_KEYS' };
const RESERVED: Expected = { status: 400, code: 'RESERVED_VARIABLE' };
/** An engine key that does not exist: NOT_FOUND, or the engine's own, older and more specific code. */
const NO_ENGINE_KEY = (engineCode: string): Expected[] => [NOT_FOUND, { status: 404, code: engineCode }];
/**
 * A staff-only route refused to a handler: by role (403), or hidden like a record that does not exist
 * (404), as the process-instance routes do; neither tells anything about the record.
 */
const STAFF_ONLY: Expected[] = [FORBIDDEN, NOT_FOUND];

const ENTRIES: Entry[] = [
  // --- Without a session, every write route answers 401 before it looks at anything else.
  ...WRITE_ROUTES.map((r): Entry => ({
    name: `no session: ${r.method} ${r.path(PLACEHOLDERS)}`,
    who: 'anonymous', method: r.method, path: r.path, body: '{}', expect: UNAUTHENTICATED,
  })),
  // The test clock moves time for everyone: not without a login, even in a test build.
  { name: 'test clock: anonymous advance', who: 'anonymous', method: 'POST', path: '/api/test/clock', body: json({ advance: 'PT1S' }), expect: UNAUTHENTICATED },

  // --- The body as text: JSON only, well-formed, within the size limit.
  { name: 'malformed JSON to the login', who: 'anonymous', method: 'POST', path: '/api/session', body: '{"username": "admin",', expect: { status: 400, code: 'INVALID_JSON' } },
  { name: 'malformed JSON: trailing comma', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f).replace(/}$/, ',}'), expect: { status: 400, code: 'INVALID_JSON' } },
  { name: 'malformed JSON: a bare string where an object belongs', who: 'intake', method: 'POST', path: '/api/employers', body: '"郑州测试劳务有限公司"', expect: { status: 400, code: 'INVALID_JSON' } },
  { name: 'malformed JSON: single quotes and NaN', who: 'handler1', method: 'POST', path: '/api/messages', body: "{'name': 'x', 'timeToLive': NaN}", expect: { status: 400, code: 'INVALID_JSON' } },
  { name: 'over-size body (600 KiB, limit 512 KiB)', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { name: 'x'.repeat(600 * 1024) }), expect: { status: 413, code: 'PAYLOAD_TOO_LARGE' } },
  { name: 'over-size message variables', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, variables: { blob: 'x'.repeat(600 * 1024) } }), expect: { status: 413, code: 'PAYLOAD_TOO_LARGE' } },
  { name: 'content type text/plain', who: 'intake', method: 'POST', path: '/api/employers', headers: { 'Content-Type': 'text/plain' }, body: employerBody, expect: UNSUPPORTED },
  { name: 'content type application/x-www-form-urlencoded (a cross-site form post)', who: 'intake', method: 'POST', path: '/api/employers', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=x&address=y', expect: UNSUPPORTED },
  { name: 'content type multipart/form-data', who: 'admin', method: 'POST', path: '/api/grids', headers: { 'Content-Type': 'multipart/form-data; boundary=b' }, body: '--b\r\nContent-Disposition: form-data; name="code"\r\n\r\nXX\r\n--b--\r\n', expect: UNSUPPORTED },
  { name: 'JSON with charset=x-bogus', who: 'intake', method: 'POST', path: '/api/employers', headers: { 'Content-Type': 'application/json; charset=x-bogus' }, body: employerBody, expect: UNSUPPORTED },
  { name: 'JSON in UTF-16', who: 'intake', method: 'POST', path: '/api/employers', headers: { 'Content-Type': 'application/json; charset=utf-16' }, body: employerBody, expect: UNSUPPORTED },
  { name: 'text/plain to the login (a cross-site login form)', who: 'anonymous', method: 'POST', path: '/api/session', headers: { 'Content-Type': 'text/plain' }, body: json({ username: 'admin', password: 'demo1234' }), expect: UNSUPPORTED },
  { name: 'text/plain to task completion', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, headers: { 'Content-Type': 'text/plain' }, body: json({ variables: {} }), expect: UNSUPPORTED },
  // A POST with no body and no content type is a write whose body cannot be told to be JSON.
  { name: 'POST without body or content type: claim', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/claim`, expect: UNSUPPORTED },
  { name: 'POST without body or content type: requeue', who: 'supervisor', method: 'POST', path: (f) => `/api/mail/${f.mailId}/requeue`, expect: UNSUPPORTED },
  { name: 'POST without body or content type: employers', who: 'intake', method: 'POST', path: '/api/employers', expect: UNSUPPORTED },

  // --- Cross-site requests: a browser says where the request comes from; another site may not write.
  { name: 'cross-site: Origin of another site on a valid employer', who: 'intake', method: 'POST', path: '/api/employers', headers: { Origin: 'https://evil.example' }, body: employerBody, expect: CROSS_SITE },
  { name: 'cross-site: Sec-Fetch-Site cross-site on a valid employer', who: 'intake', method: 'POST', path: '/api/employers', headers: { 'Sec-Fetch-Site': 'cross-site' }, body: employerBody, expect: CROSS_SITE },
  { name: 'cross-site: Origin "null" (sandboxed frame, data: URL)', who: 'intake', method: 'POST', path: '/api/employers', headers: { Origin: 'null' }, body: employerBody, expect: CROSS_SITE },
  { name: 'cross-site: login from another site', who: 'anonymous', method: 'POST', path: '/api/session', headers: { Origin: 'https://evil.example' }, body: json({ username: 'admin', password: 'demo1234' }), expect: CROSS_SITE },
  { name: 'cross-site: logout from another site', who: 'spare', method: 'DELETE', path: '/api/session', headers: { 'Sec-Fetch-Site': 'cross-site' }, expect: CROSS_SITE },
  { name: 'cross-site: claim a task', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/claim`, headers: { Origin: 'https://evil.example' }, body: '{}', expect: CROSS_SITE },
  { name: 'cross-site: message', who: 'handler1', method: 'POST', path: '/api/messages', headers: { 'Sec-Fetch-Site': 'cross-site' }, body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, timeToLive: 0 }), expect: CROSS_SITE },
  { name: 'cross-site: new admin user', who: 'admin', method: 'POST', path: '/api/users', headers: { Origin: 'https://evil.example' }, body: json({ username: 'mallory', displayName: 'M', password: 'a-long-and-random-passphrase-41', roles: ['admin'] }), expect: CROSS_SITE },
  { name: 'cross-site: draft save', who: 'legal', method: 'PUT', path: '/api/workflows/inspection-case/draft', headers: { Origin: 'https://evil.example' }, body: json({ xml: '<x/>' }), expect: CROSS_SITE },

  // --- Prototype keys: refused wherever they appear, before any code merges the body into an object.
  { name: '__proto__ at the top of a login', who: 'anonymous', method: 'POST', path: '/api/session', body: '{"username":"admin","password":"demo1234","__proto__":{"isAdmin":true}}', expect: FORBIDDEN_KEY },
  { name: '__proto__ at the top of an employer', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f).replace(/^{/, '{"__proto__":{"gridId":null},'), expect: FORBIDDEN_KEY },
  { name: 'constructor.prototype at the top of an employer update', who: 'intake', method: 'PATCH', path: (f) => `/api/employers/${f.employerId}`, body: '{"constructor":{"prototype":{"polluted":true}},"phone":"1"}', expect: FORBIDDEN_KEY },
  { name: '__proto__ nested in a complainant', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint().replace('"name":"张三"', '"name":"张三","__proto__":{"polluted":true}'), expect: FORBIDDEN_KEY },
  { name: '__proto__ in task variables', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: '{"variables":{"__proto__":{"investigationOutcome":"withdraw"}}}', expect: FORBIDDEN_KEY },
  { name: 'constructor in message variables', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => `{"name":"hostile-probe","correlationKey":"${f.caseNumber}","variables":{"constructor":{"prototype":{"x":1}}}}`, expect: FORBIDDEN_KEY },
  { name: '__proto__ deep in process variables', who: 'supervisor', method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables`, body: '{"variables":{"a":{"b":[{"__proto__":{"x":1}}]}}}', expect: FORBIDDEN_KEY },
  { name: '__proto__ in a grid', who: 'admin', method: 'POST', path: '/api/grids', body: '{"code":"ZZ","name":"x","__proto__":{"level":0}}', expect: FORBIDDEN_KEY },

  // --- Depth and width: a body the server would spend itself on.
  { name: 'message variables nested 5,000 deep', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => `{"name":"hostile-probe","correlationKey":"${f.caseNumber}","variables":${deepJson(5000)}}`, expect: TOO_DEEP },
  { name: 'process variables nested 5,000 deep', who: 'supervisor', method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables`, body: `{"variables":${deepJson(5000)}}`, expect: TOO_DEEP },
  { name: 'a process start with 20,000 variables', who: 'supervisor', method: 'POST', path: '/api/process-instances', body: json({ bpmnProcessId: 'intake-and-routing', variables: manyKeys(20_000) }), expect: TOO_MANY_KEYS },
  { name: 'a message with 20,000 variables', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, variables: manyKeys(20_000) }), expect: TOO_MANY_KEYS },

  // --- Schemas: unknown fields, wrong types, impossible values.
  { name: 'login with an unknown field', who: 'anonymous', method: 'POST', path: '/api/session', body: json({ username: 'admin', password: 'demo1234', role: 'admin' }), expect: VALIDATION('body.role') },
  { name: 'login with NUL in the username', who: 'anonymous', method: 'POST', path: '/api/session', body: json({ username: 'admin\u0000', password: 'demo1234' }), expect: VALIDATION('body.username') },
  { name: 'login with wrong types', who: 'anonymous', method: 'POST', path: '/api/session', body: json({ username: ['admin'], password: { $ne: '' } }), expect: VALIDATION('body.username') },
  { name: 'user with an unknown field', who: 'admin', method: 'POST', path: '/api/users', body: json({ username: 'eve', displayName: 'E', password: 'a-long-and-random-passphrase-41', roles: ['handler'], isSuperuser: true }), expect: VALIDATION('body.isSuperuser') },
  { name: 'user named with a Cyrillic а (looks like admin)', who: 'admin', method: 'POST', path: '/api/users', body: json({ username: '\u0430dmin', displayName: 'A', password: 'a-long-and-random-passphrase-41', roles: ['handler'] }), expect: VALIDATION('body.username') },
  { name: 'user with a role that does not exist', who: 'admin', method: 'POST', path: '/api/users', body: json({ username: 'eve', displayName: 'E', password: 'a-long-and-random-passphrase-41', roles: ['root'] }), expect: VALIDATION('body.roles.0') },
  { name: 'user display name with a control character', who: 'admin', method: 'POST', path: '/api/users', body: json({ username: 'eve', displayName: CONTROL.bell, password: 'a-long-and-random-passphrase-41', roles: ['handler'] }), expect: VALIDATION('body.displayName') },
  ...WEAK_PASSWORDS.map((password): Entry => ({ name: `new user with the weak password ${password}`, who: 'admin', method: 'POST', path: '/api/users', body: json({ username: 'weakling', displayName: '弱口令', password, roles: ['handler'] }), expect: { status: 400, code: 'WEAK_PASSWORD' } })),
  { name: 'password reset to a weak password', who: 'admin', method: 'PATCH', path: (f) => `/api/users/${f.handler2Id}`, body: json({ password: 'password' }), expect: { status: 400, code: 'WEAK_PASSWORD' } },
  { name: 'password reset to the username repeated', who: 'admin', method: 'PATCH', path: (f) => `/api/users/${f.handler2Id}`, body: json({ password: 'handler2handler2' }), expect: { status: 400, code: 'WEAK_PASSWORD' } },
  { name: 'update of a user that does not exist', who: 'admin', method: 'PATCH', path: `/api/users/${RANDOM_UUID}`, body: json({ displayName: 'x' }), expect: NOT_FOUND },
  { name: 'user update by a supervisor', who: 'supervisor', method: 'PATCH', path: (f) => `/api/users/${f.handler2Id}`, body: json({ roles: ['admin'] }), expect: FORBIDDEN },
  // A grid code is also a candidate group: a grid named after a role would see that role's tasks.
  ...['handler', 'supervisor', 'intake', 'legal', 'admin'].map((code): Entry => ({ name: `grid code equal to the role ${code}`, who: 'admin', method: 'POST', path: '/api/grids', body: json({ code, name: '冒名网格' }), expect: { status: 400, code: 'GRID_CODE_RESERVED' } })),
  { name: 'grid by a handler', who: 'handler1', method: 'POST', path: '/api/grids', body: json({ code: 'X1', name: 'x' }), expect: FORBIDDEN },
  { name: 'grid name with an escape sequence', who: 'admin', method: 'POST', path: '/api/grids', body: json({ code: 'ZZ', name: CONTROL.ansi }), expect: VALIDATION('body.name') },
  { name: 'employer with an unknown field', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { isAdmin: true }), expect: VALIDATION('body.isAdmin') },
  { name: 'employer headcount of the wrong type', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { headcount: 'many' }), expect: VALIDATION('body.headcount') },
  { name: 'employer name of 100,000 characters', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { name: HUNDRED_K }), expect: VALIDATION('body.name') },
  { name: 'employer name with NUL', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { name: CONTROL.nul }), expect: VALIDATION('body.name') },
  { name: 'employer name with ANSI escapes', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { name: CONTROL.ansi }), expect: VALIDATION('body.name') },
  { name: 'employer address with DEL', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { address: CONTROL.del }), expect: VALIDATION('body.address') },
  { name: 'employer name with a C1 control (NEL)', who: 'intake', method: 'PATCH', path: (f) => `/api/employers/${f.employerId}`, body: json({ name: CONTROL.c1 }), expect: VALIDATION('body.name') },
  { name: 'employer name with a right-to-left override', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f, { name: RTL_OVERRIDE }), expect: VALIDATION('body.name') },
  // Credit listings (人社部令第45号): the body is checked before the case is looked at.
  { name: 'listing with an unknown field', who: 'handler1', method: 'POST', path: '/api/credit/listings', body: (f) => json({ caseId: f.caseId, ground: 'criminal-threshold', responsiblePeople: [{ name: '张某', position: '法定代表人' }], state: 'listed' }), expect: VALIDATION('body.state') },
  { name: 'listing on a ground the rules do not know', who: 'handler1', method: 'POST', path: '/api/credit/listings', body: (f) => json({ caseId: f.caseId, ground: 'bad-faith', responsiblePeople: [{ name: '张某', position: '法定代表人' }] }), expect: VALIDATION('body.ground') },
  { name: 'listing naming nobody responsible', who: 'handler1', method: 'POST', path: '/api/credit/listings', body: (f) => json({ caseId: f.caseId, ground: 'criminal-threshold', responsiblePeople: [] }), expect: VALIDATION('body.responsiblePeople') },
  { name: 'listing of a case whose order to pay was never served', who: 'handler1', method: 'POST', path: '/api/credit/listings', body: (f) => json({ caseId: f.caseId, ground: 'criminal-threshold', responsiblePeople: [{ name: '张某', position: '法定代表人' }] }), expect: { status: 409, code: 'BLACKLIST_NOT_ORDERED_TO_PAY' } },
  { name: 'listing by intake staff', who: 'intake', method: 'POST', path: '/api/credit/listings', body: (f) => json({ caseId: f.caseId, ground: 'criminal-threshold', responsiblePeople: [{ name: '张某', position: '法定代表人' }] }), expect: FORBIDDEN },
  { name: 'repair application with a day that does not exist', who: 'handler1', method: 'POST', path: `/api/credit/listings/${RANDOM_UUID}/repair`, body: json({ wagesPaidAt: '2026-02-30', pledge: true, content: '已支付' }), expect: VALIDATION('body.wagesPaidAt') },
  { name: 'defence for a listing that does not exist', who: 'handler1', method: 'POST', path: `/api/credit/listings/${RANDOM_UUID}/defence`, body: json({ content: '申辩' }), expect: NOT_FOUND },
  // Random inspections (双随机) and publication of major violations (令29号): the body is checked first; nothing is drawn or proposed.
  { name: 'draw of 0 %', who: 'legal', method: 'POST', path: '/api/random-draws', body: json({ title: '抽查', itemIds: [RANDOM_UUID], proportionPercent: 0 }), expect: VALIDATION('body.proportionPercent') },
  { name: 'draw of more than the whole register', who: 'legal', method: 'POST', path: '/api/random-draws', body: json({ title: '抽查', itemIds: [RANDOM_UUID], proportionPercent: 101 }), expect: VALIDATION('body.proportionPercent') },
  { name: 'draw with a chosen seed', who: 'legal', method: 'POST', path: '/api/random-draws', body: json({ title: '抽查', itemIds: [RANDOM_UUID], seed: '00' }), expect: VALIDATION('body.seed') },
  { name: 'draw with no inspection item', who: 'legal', method: 'POST', path: '/api/random-draws', body: json({ title: '抽查', itemIds: [] }), expect: VALIDATION('body.itemIds') },
  { name: 'draw of an item not on the list', who: 'legal', method: 'POST', path: '/api/random-draws', body: json({ title: '抽查', itemIds: [RANDOM_UUID] }), expect: { status: 422, code: 'DRAW_UNKNOWN_ITEM' } },
  { name: 'draw by a handler', who: 'handler1', method: 'POST', path: '/api/random-draws', body: json({ title: '抽查', itemIds: [RANDOM_UUID] }), expect: FORBIDDEN },
  { name: 'draw title with ANSI escapes', who: 'legal', method: 'POST', path: '/api/random-draws', body: json({ title: CONTROL.ansi, itemIds: [RANDOM_UUID] }), expect: VALIDATION('body.title') },
  { name: 'inspection item by a handler', who: 'handler1', method: 'POST', path: '/api/inspection-items', body: json({ name: '工资支付', basis: '条例' }), expect: FORBIDDEN },
  { name: 'inspection item of 100,000 characters', who: 'legal', method: 'POST', path: '/api/inspection-items', body: json({ name: HUNDRED_K, basis: '条例' }), expect: VALIDATION('body.name') },
  { name: 'recusal for another by a handler', who: 'handler1', method: 'POST', path: '/api/inspector-recusals', body: (f) => json({ userId: f.handler2Id, employerId: f.employerId, reason: '回避' }), expect: FORBIDDEN },
  { name: 'draw result on a day that does not exist', who: 'legal', method: 'POST', path: `/api/random-draws/${RANDOM_UUID}/results/${RANDOM_UUID}`, body: json({ outcome: 'compliant', endedOn: '2026-02-30' }), expect: VALIDATION('body.endedOn') },
  { name: 'draw result of a draw that does not exist', who: 'legal', method: 'POST', path: `/api/random-draws/${RANDOM_UUID}/results/${RANDOM_UUID}`, body: json({ outcome: 'compliant', endedOn: '2026-01-05' }), expect: NOT_FOUND },
  { name: 'publication of a quarter that does not exist', who: 'legal', method: 'POST', path: '/api/publications', body: json({ period: '2026-Q5' }), expect: VALIDATION('body.period') },
  { name: 'publication by a handler', who: 'handler1', method: 'POST', path: '/api/publications', body: json({ period: '2026-Q1' }), expect: FORBIDDEN },
  { name: 'confirming a publication that does not exist', who: 'legal', method: 'POST', path: `/api/publications/${RANDOM_UUID}/confirm`, body: json({}), expect: NOT_FOUND },
  // The annual written review (书面审查): the body is checked first; opening is for legal staff and supervisors.
  { name: 'written review opened by a handler', who: 'handler1', method: 'POST', path: '/api/written-reviews', body: json({ year: 2026 }), expect: FORBIDDEN },
  { name: 'written review with an unknown field', who: 'supervisor', method: 'POST', path: '/api/written-reviews', body: json({ year: 2026, state: 'open' }), expect: VALIDATION('body.state') },
  { name: 'written review of a year out of range', who: 'supervisor', method: 'POST', path: '/api/written-reviews', body: json({ year: 1066 }), expect: VALIDATION('body.year') },
  { name: 'written review scope naming a grid that is no id', who: 'supervisor', method: 'POST', path: '/api/written-reviews', body: json({ year: 2026, scope: { gridIds: ["' OR 1=1 --"] } }), expect: VALIDATION('body.scope.gridIds.0') },
  { name: 'written review scope naming a grid of no office', who: 'supervisor', method: 'POST', path: '/api/written-reviews', body: json({ year: 2026, scope: { gridIds: [RANDOM_UUID] } }), expect: VALIDATION('body.scope.gridIds') },
  { name: 'written review scope with a size that does not exist', who: 'supervisor', method: 'POST', path: '/api/written-reviews', body: json({ year: 2026, scope: { scales: ['huge'] } }), expect: VALIDATION('body.scope.scales.0') },
  { name: 'written review whose scope holds no employer', who: 'supervisor', method: 'POST', path: '/api/written-reviews', body: json({ year: 2026, scope: { industries: ['采矿业'] } }), expect: { status: 422, code: 'WRITTEN_REVIEW_EMPTY_SCOPE' } },
  { name: 'written review submission with a negative headcount', who: 'intake', method: 'POST', path: `/api/written-reviews/employers/${RANDOM_UUID}/submission`, body: json({ headcount: -1, contractsSigned: 0, wagesPaid: 0, wagePayDay: 15, workingHoursSystem: 'standard', socialInsuranceParticipants: 0, migrantWorkers: 0, migrantWagesOwed: 0 }), expect: VALIDATION('body.headcount') },
  { name: 'written review submission with a pay day of 32', who: 'intake', method: 'POST', path: `/api/written-reviews/employers/${RANDOM_UUID}/submission`, body: json({ headcount: 1, contractsSigned: 1, wagesPaid: 0, wagePayDay: 32, workingHoursSystem: 'standard', socialInsuranceParticipants: 1, migrantWorkers: 0, migrantWagesOwed: 0 }), expect: VALIDATION('body.wagePayDay') },
  { name: 'written review submission with an hours system that does not exist', who: 'intake', method: 'POST', path: `/api/written-reviews/employers/${RANDOM_UUID}/submission`, body: json({ headcount: 1, contractsSigned: 1, wagesPaid: 0, wagePayDay: 1, workingHoursSystem: '996', socialInsuranceParticipants: 1, migrantWorkers: 0, migrantWagesOwed: 0 }), expect: VALIDATION('body.workingHoursSystem') },
  { name: 'written review submission for an employer in no review', who: 'intake', method: 'POST', path: `/api/written-reviews/employers/${RANDOM_UUID}/submission`, body: json({ headcount: 1, contractsSigned: 1, wagesPaid: 0, wagePayDay: 1, workingHoursSystem: 'standard', socialInsuranceParticipants: 1, migrantWorkers: 0, migrantWagesOwed: 0 }), expect: NOT_FOUND },
  { name: 'written review import whose content is not base64', who: 'intake', method: 'POST', path: `/api/written-reviews/${RANDOM_UUID}/import`, body: json({ fileName: 'a.csv', contentBase64: '<script>' }), expect: VALIDATION('body.contentBase64') },
  { name: 'written review import into a review that does not exist', who: 'intake', method: 'POST', path: `/api/written-reviews/${RANDOM_UUID}/import`, body: json({ fileName: 'a.csv', contentBase64: Buffer.from('统一社会信用代码\n1\n').toString('base64'), confirm: true }), expect: NOT_FOUND },
  { name: 'grading run opened by a handler', who: 'handler1', method: 'POST', path: '/api/credit/grading/runs', body: json({ year: 2025 }), expect: FORBIDDEN },
  { name: 'grading run of a year not yet ended', who: 'legal', method: 'POST', path: '/api/credit/grading/runs', body: json({ year: 2099 }), expect: { status: 422, code: 'GRADING_YEAR_NOT_ENDED' } },
  { name: 'grading run of a year before the rule', who: 'legal', method: 'POST', path: '/api/credit/grading/runs', body: json({ year: 1999 }), expect: VALIDATION('body.year') },
  { name: 'grading run with the year as text', who: 'legal', method: 'POST', path: '/api/credit/grading/runs', body: json({ year: '2025' }), expect: VALIDATION('body.year') },
  { name: 'grading run with an unknown field', who: 'legal', method: 'POST', path: '/api/credit/grading/runs', body: json({ year: 2025, state: 'final' }), expect: VALIDATION('body.state') },
  { name: 'grade changed to a grade that does not exist', who: 'legal', method: 'POST', path: `/api/credit/grading/grades/${RANDOM_UUID}/change`, body: json({ grade: 'D', reason: '调整' }), expect: VALIDATION('body.grade') },
  { name: 'grade changed without a reason', who: 'legal', method: 'POST', path: `/api/credit/grading/grades/${RANDOM_UUID}/change`, body: json({ grade: 'B', reason: '   ' }), expect: VALIDATION('body.reason') },
  { name: 'grade change of a grade that does not exist', who: 'legal', method: 'POST', path: `/api/credit/grading/grades/${RANDOM_UUID}/change`, body: json({ grade: 'B', reason: '调整' }), expect: NOT_FOUND },
  { name: 'grade objection received on a day that does not exist', who: 'handler1', method: 'POST', path: `/api/credit/grading/grades/${RANDOM_UUID}/objections`, body: json({ receivedAt: '2026-02-30', content: '不服' }), expect: VALIDATION('body.receivedAt') },
  { name: 'grade objection of 100,000 characters', who: 'handler1', method: 'POST', path: `/api/credit/grading/grades/${RANDOM_UUID}/objections`, body: json({ content: HUNDRED_K }), expect: VALIDATION('body.content') },
  { name: 'grade objection to a grade that does not exist', who: 'handler1', method: 'POST', path: `/api/credit/grading/grades/${RANDOM_UUID}/objections`, body: json({ content: '不服' }), expect: NOT_FOUND },
  { name: 'objection decided neither upheld nor rejected', who: 'legal', method: 'POST', path: `/api/credit/grading/objections/${RANDOM_UUID}/decision`, body: json({ decision: 'maybe', reasons: '待定' }), expect: VALIDATION('body.decision') },
  { name: 'objection upheld to grade C', who: 'legal', method: 'POST', path: `/api/credit/grading/objections/${RANDOM_UUID}/decision`, body: json({ decision: 'upheld', grade: 'C', reasons: '成立' }), expect: VALIDATION('body.grade') },
  { name: 'decision of an objection that does not exist', who: 'legal', method: 'POST', path: `/api/credit/grading/objections/${RANDOM_UUID}/decision`, body: json({ decision: 'rejected', reasons: '不成立' }), expect: NOT_FOUND },
  { name: 'grades of a run asked 100,000 at a time', who: 'legal', method: 'GET', path: `/api/credit/grading/runs/${RANDOM_UUID}/grades?limit=100000`, expect: VALIDATION('query.limit') },
  { name: 'grades of a run that does not exist', who: 'legal', method: 'GET', path: `/api/credit/grading/runs/${RANDOM_UUID}/grades`, expect: NOT_FOUND },
  { name: 'employer name with a lone surrogate (no character at all)', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f).replace('"name":"', '"name":"\\ud800'), expect: VALIDATION('body.name') },
  { name: 'complaint: summary with a lone surrogate', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ summary: '拖欠工资' }).replace('拖欠工资', '拖欠\\udfff工资'), expect: VALIDATION('body.summary') },
  { name: 'employer headcount 1e309 (Infinity once parsed)', who: 'intake', method: 'POST', path: '/api/employers', body: (f) => employerBody(f).replace(/}$/, ',"headcount":1e309}'), expect: VALIDATION('body.headcount') },
  { name: 'complaint with a malformed Idempotency-Key', who: 'intake', method: 'POST', path: '/api/complaints', headers: { 'Idempotency-Key': 'a b' }, body: () => complaint(), expect: VALIDATION('headers.idempotency-key') },
  { name: 'employer update with an id that is no uuid', who: 'intake', method: 'PATCH', path: '/api/employers/1%20OR%201=1', body: json({ phone: '1' }), expect: VALIDATION('params.id') },
  { name: 'employer update with a forged id', who: 'intake', method: 'PATCH', path: `/api/employers/${RANDOM_UUID}`, body: json({ phone: '1' }), expect: NOT_FOUND },
  { name: 'complaint: violation ended on 2026-02-30', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ violationEndedOn: '2026-02-30' }), expect: VALIDATION('body.violationEndedOn') },
  { name: 'complaint: claim period from 2026-13-45', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ claims: [{ category: 'wage-arrears', description: '拖欠工资', periodFrom: '2026-13-45' }] }), expect: VALIDATION('body.claims.0.periodFrom') },
  { name: 'complaint: received on 2026-02-30', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ receivedAt: '2026-02-30T09:00:00+08:00' }), expect: VALIDATION('body.receivedAt') },
  { name: 'complaint: received years from now', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ receivedAt: YEARS_AHEAD }), expect: VALIDATION('body.receivedAt') },
  { name: 'complaint: summary with NUL', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ summary: `拖欠工资${CONTROL.nul}` }), expect: VALIDATION('body.summary') },
  { name: 'complaint: summary with a right-to-left override', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ summary: `拖欠工资 ${RTL_OVERRIDE}` }), expect: VALIDATION('body.summary') },
  { name: 'complaint: summary of 100,000 characters', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ summary: HUNDRED_K }), expect: VALIDATION('body.summary') },
  { name: 'complaint: complainant name with an escape sequence', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ complainants: [{ name: CONTROL.ansi, phone: '13800000001' }] }), expect: VALIDATION('body.complainants.0.name') },
  { name: 'complaint: unknown field', who: 'intake', method: 'POST', path: '/api/complaints', body: () => complaint({ status: 'closed' }), expect: VALIDATION('body.status') },
  { name: 'complaint by a handler', who: 'handler1', method: 'POST', path: '/api/complaints', body: () => complaint(), expect: FORBIDDEN },
  { name: 'reveal of personal data with a body', who: 'handler1', method: 'POST', path: (f) => `/api/cases/${f.caseId}/reveal`, body: json({ fields: ['idNumber'] }), expect: VALIDATION('body.fields') },
  { name: 'reveal of personal data of a forged case', who: 'handler1', method: 'POST', path: `/api/cases/${RANDOM_UUID}/reveal`, body: '{}', expect: NOT_FOUND },
  { name: 'cross-site: reveal of personal data', who: 'handler1', method: 'POST', path: (f) => `/api/cases/${f.caseId}/reveal`, headers: { 'Sec-Fetch-Site': 'cross-site' }, body: '{}', expect: CROSS_SITE },
  { name: 'claim with a body', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/claim`, body: json({ assignee: 'handler2' }), expect: VALIDATION('body.assignee') },
  { name: 'claim of a forged task key', who: 'handler1', method: 'POST', path: `/api/tasks/${FORGED_KEY}/claim`, body: '{}', expect: NOT_FOUND },
  { name: 'claim of a task key that is no number', who: 'handler1', method: 'POST', path: '/api/tasks/1e3/claim', body: '{}', expect: VALIDATION('params.id') },
  { name: 'unclaim of a forged task key', who: 'handler1', method: 'POST', path: `/api/tasks/${FORGED_KEY}/unclaim`, body: '{}', expect: NOT_FOUND },
  { name: 'assign to a forged user', who: 'supervisor', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/assign`, body: json({ userId: RANDOM_UUID }), expect: VALIDATION('body.userId') },
  { name: 'assign by a handler', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/assign`, body: (f) => json({ userId: f.handler2Id }), expect: FORBIDDEN },
  { name: 'assign of a forged task key', who: 'supervisor', method: 'POST', path: `/api/tasks/${FORGED_KEY}/assign`, body: (f) => json({ userId: f.handler2Id }), expect: NOT_FOUND },
  { name: 'completion of a forged task key', who: 'handler1', method: 'POST', path: `/api/tasks/${FORGED_KEY}/complete`, body: json({ variables: investigationVariables() }), expect: NOT_FOUND },
  { name: 'message with a time to live of ten thousand years (text)', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, timeToLive: 'P3650000D' }), expect: VALIDATION('body.timeToLive') },
  { name: 'message with a time to live of the wrong type', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, timeToLive: true }), expect: VALIDATION('body.timeToLive') },
  { name: 'message with an unknown field', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, tenantId: 'other' }), expect: VALIDATION('body.tenantId') },
  { name: 'message variable name of 300 characters', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, timeToLive: 0, variables: { ['v'.repeat(300)]: 1 } }), expect: VALIDATION() },
  // The service's own variables steer the case (its grid, its id): no outside answer sets them.
  { name: 'message setting the case\'s grid', who: 'handler1', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'correction-reported', correlationKey: f.caseNumber, timeToLive: 0, variables: { gridCode: 'RM-01' } }), expect: VALIDATION('body.variables.gridCode') },
  { name: 'message by intake', who: 'intake', method: 'POST', path: '/api/messages', body: (f) => json({ name: 'hostile-probe', correlationKey: f.caseNumber, timeToLive: 0 }), expect: FORBIDDEN },
  { name: 'process start by a handler', who: 'handler1', method: 'POST', path: '/api/process-instances', body: json({ bpmnProcessId: 'intake-and-routing' }), expect: FORBIDDEN },
  { name: 'process start naming a case for its jobs', who: 'supervisor', method: 'POST', path: '/api/process-instances', body: json({ bpmnProcessId: 'intake-and-routing', variables: { caseId: RANDOM_UUID } }), expect: RESERVED },
  { name: "a running instance pointed at another case", who: 'supervisor', method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables`, body: json({ variables: { caseId: RANDOM_UUID } }), expect: RESERVED },
  { name: 'process start with an unknown field', who: 'supervisor', method: 'POST', path: '/api/process-instances', body: json({ bpmnProcessId: 'intake-and-routing', tenantId: 'x' }), expect: VALIDATION('body.tenantId') },
  { name: 'process cancel by a handler', who: 'handler1', method: 'POST', path: (f) => `/api/process-instances/${f.processInstanceKey}/cancel`, body: '{}', expect: STAFF_ONLY },
  { name: 'process cancel of a forged key', who: 'supervisor', method: 'POST', path: `/api/process-instances/${FORGED_KEY}/cancel`, body: '{}', expect: NO_ENGINE_KEY('PROCESS_INSTANCE_NOT_FOUND') },
  { name: 'variables into a forged element instance', who: 'supervisor', method: 'PUT', path: `/api/element-instances/${FORGED_KEY}/variables`, body: json({ variables: { a: 1 } }), expect: NO_ENGINE_KEY('ELEMENT_INSTANCE_NOT_FOUND') },
  { name: 'variables as an array', who: 'supervisor', method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables`, body: json({ variables: [1, 2] }), expect: VALIDATION('body.variables') },
  { name: 'variables by a handler', who: 'handler1', method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables`, body: json({ variables: { gridCode: 'RM-01' } }), expect: FORBIDDEN },
  { name: 'resolve of a forged incident', who: 'supervisor', method: 'POST', path: `/api/incidents/${FORGED_KEY}/resolve`, body: '{}', expect: NO_ENGINE_KEY('INCIDENT_NOT_FOUND') },
  { name: 'resolve by a handler', who: 'handler1', method: 'POST', path: `/api/incidents/${FORGED_KEY}/resolve`, body: '{}', expect: FORBIDDEN },
  // Repair of a case's process: its grid's supervisor, an instance of that case, an element of its diagram, with a reason.
  { name: 'signal broadcast by a handler', who: 'handler1', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', reason: '新的节假日安排' }), expect: FORBIDDEN },
  { name: "a signal carrying the case its jobs act on", who: 'supervisor', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', reason: '新的节假日安排', variables: { caseId: RANDOM_UUID } }), expect: RESERVED },
  { name: 'signal broadcast without a reason', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed' }), expect: VALIDATION('body.reason') },
  { name: 'signal broadcast with a blank name', who: 'supervisor', method: 'POST', path: '/api/signals', body: json({ name: '   ', reason: '新的节假日安排' }), expect: VALIDATION('body.name') },
  { name: 'signal broadcast with a 100 KB name', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: HUNDRED_K, reason: '新的节假日安排' }), expect: VALIDATION('body.name') },
  { name: 'signal broadcast with variables that are not an object', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', variables: [1, 2], reason: '新的节假日安排' }), expect: VALIDATION('body.variables') },
  { name: 'signal broadcast with a variable name that is not one', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', variables: { 'a b': 1 }, reason: '新的节假日安排' }), expect: VALIDATION() },
  { name: 'signal broadcast with an unknown field', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', reason: '新的节假日安排', tenantId: 'other' }), expect: VALIDATION('body.tenantId') },
  { name: 'signal broadcast to another office by a supervisor', who: 'supervisor', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', reason: '新的节假日安排', officeId: RANDOM_UUID }), expect: FORBIDDEN },
  { name: 'signal broadcast by the administrator naming no office', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', reason: '新的节假日安排' }), expect: { status: 400, code: 'SIGNAL_OFFICE_REQUIRED' } },
  { name: 'signal broadcast naming an office and every office', who: 'admin', method: 'POST', path: '/api/signals', body: json({ name: 'holiday-schedule-changed', reason: '新的节假日安排', officeId: RANDOM_UUID, allOffices: true }), expect: VALIDATION('body.allOffices') },
  { name: 'signal broadcast of a name no diagram declares', who: 'supervisor', method: 'POST', path: '/api/signals', body: json({ name: '<script>alert(1)</script>', reason: '新的节假日安排' }), expect: { status: 400, code: 'UNKNOWN_SIGNAL' } },
  { name: 'signal page read by a handler', who: 'handler1', method: 'GET', path: '/api/signals', expect: FORBIDDEN },
  { name: 'signal page with an unknown query field', who: 'supervisor', method: 'GET', path: '/api/signals?officeId=x', expect: VALIDATION('query.officeId') },
  { name: 'signal waiting count with a blank name', who: 'supervisor', method: 'GET', path: '/api/signals/waiting?name=%20', expect: VALIDATION('query.name') },
  { name: 'signal waiting count for an office id that is not one', who: 'admin', method: 'GET', path: '/api/signals/waiting?name=x&officeId=..%2F1', expect: VALIDATION('query.officeId') },
  { name: 'signal waiting count of another office by a supervisor', who: 'supervisor', method: 'GET', path: `/api/signals/waiting?name=x&officeId=${RANDOM_UUID}`, expect: FORBIDDEN },
  { name: 'instance repair by a handler of the grid', who: 'handler1', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, start: ['Task_Investigate'], reason: '数据错误，重新调查' }), expect: FORBIDDEN },
  { name: 'instance repair without a reason', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, start: ['Task_Investigate'] }), expect: VALIDATION('body.reason') },
  { name: 'instance repair that starts and cancels nothing', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, reason: '数据错误' }), expect: VALIDATION('body.start') },
  { name: 'instance repair with an unknown field', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, start: ['Task_Investigate'], reason: '数据错误', variables: { gridCode: 'RM-01' } }), expect: VALIDATION('body.variables') },
  { name: 'instance repair of another case\'s or a forged instance', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: json({ processInstanceKey: FORGED_KEY, start: ['Task_Investigate'], reason: '数据错误' }), expect: NOT_FOUND },
  { name: 'instance repair of a forged case', who: 'supervisor', method: 'POST', path: `/api/cases/${RANDOM_UUID}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, start: ['Task_Investigate'], reason: '数据错误' }), expect: NOT_FOUND },
  { name: 'instance repair starting an element the diagram does not have', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, start: ['Task_Nowhere'], reason: '数据错误' }), expect: { status: 400, code: 'ELEMENT_NOT_FOUND' } },
  { name: 'instance repair starting a start event', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, start: ['Start_Filing'], reason: '数据错误' }), expect: { status: 400, code: 'ELEMENT_NOT_ACTIVATABLE' } },
  { name: 'instance repair cancelling a forged element instance', who: 'supervisor', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, body: (f) => json({ processInstanceKey: f.processInstanceKey, cancel: [FORGED_KEY], reason: '数据错误' }), expect: { status: 404, code: 'ELEMENT_INSTANCE_NOT_FOUND' } },
  // Moving running cases to another version: legal staff and admin, previewed, confirmed, with a reason.
  { name: 'migration preview by a supervisor', who: 'supervisor', method: 'POST', path: '/api/workflows/inspection-case/migrations/preview', body: json({ sourceVersion: 1, targetVersion: 2 }), expect: FORBIDDEN },
  { name: 'migration preview to the same version', who: 'legal', method: 'POST', path: '/api/workflows/inspection-case/migrations/preview', body: json({ sourceVersion: 1, targetVersion: 1 }), expect: { status: 400, code: 'SAME_VERSION' } },
  { name: 'migration preview with a mapping to an element id that is no id', who: 'legal', method: 'POST', path: '/api/workflows/inspection-case/migrations/preview', body: json({ sourceVersion: 1, targetVersion: 2, mappings: [{ sourceElementId: 'Task_Investigate', targetElementId: '<script>' }] }), expect: VALIDATION('body.mappings.0.targetElementId') },
  { name: 'migration without confirmation', who: 'legal', method: 'POST', path: '/api/workflows/inspection-case/migrations', body: json({ sourceVersion: 1, targetVersion: 2, reason: '新规施行' }), expect: VALIDATION('body.confirm') },
  { name: 'migration to a version never deployed', who: 'legal', method: 'POST', path: '/api/workflows/inspection-case/migrations', body: json({ sourceVersion: 1, targetVersion: 99, reason: '新规施行', confirm: true }), expect: NOT_FOUND },
  { name: 'migration by a handler', who: 'handler1', method: 'POST', path: '/api/workflows/inspection-case/migrations', body: json({ sourceVersion: 1, targetVersion: 2, reason: '新规施行', confirm: true }), expect: FORBIDDEN },
  { name: 'resuming a migration run by a handler', who: 'handler1', method: 'POST', path: `/api/instance-migrations/${RANDOM_UUID}/resume`, body: '{}', expect: FORBIDDEN },
  { name: 'resuming a migration run that does not exist', who: 'legal', method: 'POST', path: `/api/instance-migrations/${RANDOM_UUID}/resume`, body: '{}', expect: NOT_FOUND },
  { name: 'resuming a migration run by an id that is no id', who: 'legal', method: 'POST', path: '/api/instance-migrations/not-a-run/resume', body: '{}', expect: [VALIDATION('params.id'), NOT_FOUND] },
  { name: 'deploy by a handler', who: 'handler1', method: 'POST', path: '/api/workflows', body: json({ resources: [{ name: 'x.bpmn', content: '<x/>' }] }), expect: FORBIDDEN },
  { name: 'deploy with an unknown field', who: 'legal', method: 'POST', path: '/api/workflows', body: json({ resources: [{ name: 'x.bpmn', content: '<x/>' }], force: true }), expect: VALIDATION('body.force') },
  { name: 'deploy with a resource name that climbs directories', who: 'legal', method: 'POST', path: '/api/workflows', body: json({ resources: [{ name: '../../etc/x.bpmn', content: '<x/>' }] }), expect: VALIDATION('body.resources.0.name') },
  { name: 'deploy as text/plain', who: 'legal', method: 'POST', path: '/api/workflows', headers: { 'Content-Type': 'text/plain' }, body: '<bpmn:definitions/>', expect: UNSUPPORTED },
  { name: 'check by a handler', who: 'handler1', method: 'POST', path: '/api/workflows/check', body: json({ xml: '<x/>' }), expect: FORBIDDEN },
  { name: 'check with malformed JSON', who: 'legal', method: 'POST', path: '/api/workflows/check', body: '{"xml": "<x/>"', expect: { status: 400, code: 'INVALID_JSON' } },
  { name: 'draft by a handler', who: 'handler1', method: 'PUT', path: '/api/workflows/inspection-case/draft', body: json({ xml: '<x/>' }), expect: FORBIDDEN },
  { name: 'draft with xml of the wrong type', who: 'legal', method: 'PUT', path: '/api/workflows/inspection-case/draft', body: json({ xml: { $gt: '' } }), expect: VALIDATION('body.xml') },
  { name: 'draft with __proto__', who: 'legal', method: 'PUT', path: '/api/workflows/inspection-case/draft', body: '{"xml":"<x/>","__proto__":{"expectedVersion":null}}', expect: FORBIDDEN_KEY },
  { name: 'draft of a process id that climbs directories', who: 'legal', method: 'PUT', path: '/api/workflows/..%2F..%2Fetc/draft', body: json({ xml: '<x/>' }), expect: VALIDATION('params.processId') },
  { name: 'decision table draft by a handler', who: 'handler1', method: 'PUT', path: '/api/decision-tables/penalty-discretion-drg/draft', body: json({ xml: '<x/>' }), expect: FORBIDDEN },
  { name: 'decision table draft that is not DMN', who: 'legal', method: 'PUT', path: '/api/decision-tables/penalty-discretion-drg/draft', body: json({ xml: '<definitions' }), expect: { status: 400, code: 'INVALID_DECISION' } },
  { name: 'decision table draft of another resource', who: 'legal', method: 'PUT', path: '/api/decision-tables/complaint-routing-drg/draft', body: () => json({ xml: DMN_OF_PENALTY }), expect: { status: 400, code: 'DECISION_ID_MISMATCH' } },
  { name: 'decision table id that climbs directories', who: 'legal', method: 'PUT', path: '/api/decision-tables/..%2F..%2Fetc/draft', body: json({ xml: '<x/>' }), expect: VALIDATION('params.drgId') },
  { name: 'decision table deploy without a draft', who: 'legal', method: 'POST', path: '/api/decision-tables/penalty-discretion-drg/deploy', body: '{}', expect: NOT_FOUND },
  { name: 'decision table deploy by intake', who: 'intake', method: 'POST', path: '/api/decision-tables/penalty-discretion-drg/deploy', body: '{}', expect: FORBIDDEN },
  { name: 'decision table test with variables that are a list', who: 'legal', method: 'POST', path: '/api/decision-tables/penalty-discretion-drg/evaluation', body: json({ variables: [1, 2] }), expect: VALIDATION('body.variables') },
  { name: 'decision table test of an unknown decision', who: 'legal', method: 'POST', path: '/api/decision-tables/penalty-discretion-drg/evaluation', body: json({ decisionId: 'no-such', variables: {} }), expect: NOT_FOUND },
  { name: 'decision table test by a handler', who: 'handler1', method: 'POST', path: '/api/decision-tables/penalty-discretion-drg/evaluation', body: json({ variables: {} }), expect: FORBIDDEN },
  { name: 'template by a handler', who: 'handler1', method: 'POST', path: '/api/templates/complaint-register', body: json({ body: '<p>x</p>' }), expect: FORBIDDEN },
  { name: 'template body of 300,000 characters', who: 'legal', method: 'POST', path: '/api/templates/complaint-register', body: json({ body: 'x'.repeat(300_000) }), expect: VALIDATION('body.body') },
  { name: 'template type that climbs directories', who: 'legal', method: 'POST', path: '/api/templates/..%2F..%2Fetc%2Fpasswd', body: json({ body: '<p>x</p>' }), expect: VALIDATION('params.typeId') },
  { name: 'template preview by a handler', who: 'handler1', method: 'POST', path: '/api/templates/complaint-register/preview', body: json({ body: '{{#each this}}{{this}}{{/each}}' }), expect: FORBIDDEN },
  { name: 'template preview by intake', who: 'intake', method: 'POST', path: '/api/templates/complaint-register/preview', body: '{}', expect: FORBIDDEN },
  { name: 'service recorded years ahead', who: 'handler1', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, body: json({ method: 'direct', servedAt: YEARS_AHEAD, receiver: '张宏达' }), expect: VALIDATION('body.servedAt') },
  { name: 'service on 2026-02-30', who: 'handler1', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, body: json({ method: 'direct', servedAt: '2026-02-30T10:00:00+08:00', receiver: '张宏达' }), expect: VALIDATION('body.servedAt') },
  { name: 'service receiver with a control character', who: 'handler1', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, body: (f) => json({ method: 'direct', servedAt: f.servedAt, receiver: CONTROL.bell }), expect: VALIDATION('body.receiver') },
  { name: 'service with an unknown field', who: 'handler1', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, body: (f) => json({ method: 'direct', servedAt: f.servedAt, receiver: '张宏达', recordedBy: 'supervisor' }), expect: VALIDATION('body.recordedBy') },
  // A proof of service is served back from the service's own origin: an HTML "proof" would be a stored script.
  { name: 'proof of service declared as text/html', who: 'handler1', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, body: (f) => json({ method: 'direct', servedAt: f.servedAt, receiver: '张宏达', proof: { name: 'proof.html', mediaType: 'text/html', contentBase64: HTML_BASE64 } }), expect: { status: 400, code: 'PROOF_TYPE_REFUSED' } },
  { name: 'proof of service: HTML bytes declared as a PDF', who: 'handler1', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, body: (f) => json({ method: 'direct', servedAt: f.servedAt, receiver: '张宏达', proof: { name: 'proof.pdf', mediaType: 'application/pdf', contentBase64: HTML_BASE64 } }), expect: { status: 400, code: 'PROOF_TYPE_REFUSED' } },
  { name: 'service of a forged document', who: 'handler1', method: 'POST', path: `/api/documents/${RANDOM_UUID}/service`, body: (f) => json({ method: 'direct', servedAt: f.servedAt, receiver: '张宏达' }), expect: NOT_FOUND },
  { name: 'requeue of forged mail', who: 'supervisor', method: 'POST', path: `/api/mail/${RANDOM_UUID}/requeue`, body: '{}', expect: NOT_FOUND },
  { name: 'requeue by a handler', who: 'handler1', method: 'POST', path: (f) => `/api/mail/${f.mailId}/requeue`, body: '{}', expect: FORBIDDEN },
  { name: 'requeue with a body', who: 'supervisor', method: 'POST', path: (f) => `/api/mail/${f.mailId}/requeue`, body: json({ to: 'attacker@evil.example' }), expect: VALIDATION('body.to') },
  { name: 'contact of a role that does not exist', who: 'admin', method: 'PUT', path: '/api/contacts/attacker', body: json({ name: 'x', email: 'x@evil.example' }), expect: VALIDATION('params.role') },
  { name: 'contact with a header injected into the address', who: 'admin', method: 'PUT', path: '/api/contacts/court', body: json({ name: '法院', email: 'court@example.cn\r\nBcc: spy@evil.example' }), expect: VALIDATION('body.email') },
  { name: 'contact name with a vertical tab', who: 'admin', method: 'PUT', path: '/api/contacts/court', body: json({ name: '法院\u000bBcc: spy@evil.example', email: 'court@example.cn' }), expect: VALIDATION('body.name') },
  { name: 'contact by a supervisor', who: 'supervisor', method: 'PUT', path: '/api/contacts/court', body: json({ name: '法院', email: 'court@example.cn' }), expect: FORBIDDEN },
  { name: 'supervise with a due date of 2027-02-30', who: 'supervisor', method: 'POST', path: (f) => `/api/supervision/cases/${f.caseId}/supervise`, body: json({ dueAt: '2027-02-30', owner: 'handler1' }), expect: VALIDATION('body.dueAt') },
  { name: 'supervise with an owner holding control characters', who: 'supervisor', method: 'POST', path: (f) => `/api/supervision/cases/${f.caseId}/supervise`, body: (f) => json({ dueAt: f.nextMonth, owner: CONTROL.ansi }), expect: VALIDATION('body.owner') },
  { name: 'supervise a forged case', who: 'supervisor', method: 'POST', path: `/api/supervision/cases/${RANDOM_UUID}/supervise`, body: (f) => json({ dueAt: f.nextMonth, owner: 'handler1' }), expect: NOT_FOUND },
  { name: 'supervise by a handler', who: 'handler1', method: 'POST', path: (f) => `/api/supervision/cases/${f.caseId}/supervise`, body: (f) => json({ dueAt: f.nextMonth, owner: 'handler1' }), expect: FORBIDDEN },
  { name: 'stats from 2026-02-30', who: 'supervisor', method: 'GET', path: '/api/supervision/stats?from=2026-02-30', expect: VALIDATION('query.from') },
  { name: 'stats to 2026-13-01', who: 'supervisor', method: 'GET', path: '/api/supervision/stats?to=2026-13-01', expect: VALIDATION('query.to') },
  { name: 'stats from after to', who: 'supervisor', method: 'GET', path: '/api/supervision/stats?from=2026-06-01&to=2026-01-01', expect: VALIDATION('query.from') },
  { name: 'case search for a NUL', who: 'handler1', method: 'GET', path: '/api/cases?q=%00', expect: VALIDATION('query.q') },
  { name: 'employer search with an escape sequence', who: 'intake', method: 'GET', path: '/api/employers?q=%1B%5B2J', expect: VALIDATION('query.q') },
  // The employer file, its import, the grids' people and the address rules.
  { name: 'employer list with a forged cursor', who: 'intake', method: 'GET', path: '/api/employers?cursor=WyJ4Il0', expect: VALIDATION('query.cursor') },
  { name: 'employer wage payment day 32', who: 'intake', method: 'PATCH', path: (f) => `/api/employers/${f.employerId}`, body: json({ wagePayDay: 32 }), expect: VALIDATION('body.wagePayDay') },
  { name: 'employer collected on 2026-02-30', who: 'intake', method: 'PATCH', path: (f) => `/api/employers/${f.employerId}`, body: json({ headcount: 3, collectedOn: '2026-02-30' }), expect: VALIDATION('body.collectedOn') },
  { name: 'employer ownership not among the choices', who: 'intake', method: 'PATCH', path: (f) => `/api/employers/${f.employerId}`, body: json({ ownership: 'secret' }), expect: VALIDATION('body.ownership') },
  { name: 'employer moved to a grid id that is no uuid', who: 'admin', method: 'POST', path: (f) => `/api/employers/${f.employerId}/move`, body: json({ gridId: "' OR 1=1 --" }), expect: VALIDATION('body.gridId') },
  { name: 'employer move with a forged id', who: 'admin', method: 'POST', path: `/api/employers/${RANDOM_UUID}/move`, body: (f) => json({ gridId: f.gridId }), expect: NOT_FOUND },
  { name: 'employer moved by the legal staff', who: 'legal', method: 'POST', path: (f) => `/api/employers/${f.employerId}/move`, body: (f) => json({ gridId: f.gridId }), expect: FORBIDDEN },
  { name: 'register import by a handler', who: 'handler1', method: 'POST', path: '/api/employers/import', body: json({ fileName: 'a.csv', contentBase64: Buffer.from('统一社会信用代码,单位名称\n').toString('base64') }), expect: FORBIDDEN },
  { name: 'register import whose content is no base64', who: 'intake', method: 'POST', path: '/api/employers/import', body: json({ fileName: 'a.csv', contentBase64: '<script>' }), expect: VALIDATION('body.contentBase64') },
  { name: 'register import confirmed as a string', who: 'intake', method: 'POST', path: '/api/employers/import', body: json({ fileName: 'a.csv', contentBase64: 'YQ==', confirm: 'yes' }), expect: VALIDATION('body.confirm') },
  { name: 'register import of a file that is no workbook', who: 'intake', method: 'POST', path: '/api/employers/import', body: json({ fileName: 'a.xlsx', contentBase64: Buffer.from('not a zip').toString('base64'), confirm: true }), expect: { status: 400, code: 'IMPORT_UNREADABLE' } },
  { name: 'register import without the credit code column', who: 'intake', method: 'POST', path: '/api/employers/import', body: json({ fileName: 'a.csv', contentBase64: Buffer.from('单位名称,地址\n某公司,某地\n').toString('base64'), confirm: true }), expect: { status: 400, code: 'IMPORT_COLUMNS' } },
  { name: 'placing by rules by a handler', who: 'handler1', method: 'POST', path: '/api/employers/place-by-rules', body: '{}', expect: FORBIDDEN },
  { name: 'grid staff of an unknown kind', who: 'admin', method: 'POST', path: '/api/grid-staff', body: (f) => json({ gridId: f.gridId, kind: 'boss', name: '某人' }), expect: VALIDATION('body.kind') },
  { name: 'grid staff added by a handler', who: 'handler1', method: 'POST', path: '/api/grid-staff', body: (f) => json({ gridId: f.gridId, kind: 'grid_assistant', name: '某人' }), expect: FORBIDDEN },
  { name: 'training of a forged staff member', who: 'admin', method: 'POST', path: `/api/grid-staff/${RANDOM_UUID}/trainings`, body: json({ course: '培训', trainedOn: '2026-10-10', hours: 2 }), expect: NOT_FOUND },
  { name: 'training of minus one hour', who: 'admin', method: 'POST', path: `/api/grid-staff/${RANDOM_UUID}/trainings`, body: json({ course: '培训', trainedOn: '2026-10-10', hours: -1 }), expect: VALIDATION('body.hours') },
  { name: 'address rule of a street without its street', who: 'admin', method: 'POST', path: '/api/address-rules', body: (f) => json({ gridId: f.gridId, kind: 'street' }), expect: VALIDATION('body.street') },
  { name: 'address rule with a range that ends before it starts', who: 'admin', method: 'POST', path: '/api/address-rules', body: (f) => json({ gridId: f.gridId, kind: 'street', street: '解放路', numberFrom: 50, numberTo: 10 }), expect: VALIDATION('body.numberTo') },
  { name: 'address rule by the intake window', who: 'intake', method: 'POST', path: '/api/address-rules', body: (f) => json({ gridId: f.gridId, kind: 'community', community: '解放路社区' }), expect: FORBIDDEN },
  { name: 'case search with a parameter given twice', who: 'handler1', method: 'GET', path: '/api/cases?q=a&q=b', expect: VALIDATION('query.q') },
  { name: 'test clock moved backwards', who: 'admin', method: 'POST', path: '/api/test/clock', body: json({ advance: '-P1D' }), expect: VALIDATION('body.advance') },

  { name: 'patrol plan for the month 2026-13', who: 'handler1', method: 'POST', path: '/api/prevention/plans', body: (f) => json({ gridId: f.gridId, period: '2026-13' }), expect: VALIDATION('body.period') },
  { name: 'patrol plan by the legal staff', who: 'legal', method: 'POST', path: '/api/prevention/plans', body: (f) => json({ gridId: f.gridId, period: '2026-12' }), expect: FORBIDDEN },
  { name: 'warning report with a blank summary', who: 'handler1', method: 'POST', path: '/api/prevention/warnings/reports', body: (f) => json({ employerId: f.employerId, summary: '   ' }), expect: VALIDATION('body.summary') },
  { name: 'warning report in purple', who: 'handler1', method: 'POST', path: '/api/prevention/warnings/reports', body: (f) => json({ employerId: f.employerId, summary: '欠薪', colour: 'purple' }), expect: VALIDATION('body.colour') },
  { name: 'warning rules run by a handler', who: 'handler1', method: 'POST', path: '/api/prevention/warnings/run-rules', body: '{}', expect: FORBIDDEN },
  { name: 'reopening a forged warning', who: 'supervisor', method: 'POST', path: `/api/prevention/warnings/${RANDOM_UUID}/reopen`, body: json({ reason: '又有反映' }), expect: NOT_FOUND },
  { name: 'grid dashboard of the month 2026-1', who: 'supervisor', method: 'GET', path: '/api/prevention/dashboard?period=2026-1', expect: VALIDATION('query.period') },
  { name: 'grid dashboard export of the month 2026-13', who: 'supervisor', method: 'GET', path: '/api/prevention/dashboard/export.xlsx?period=2026-13', expect: VALIDATION('query.period') },
  { name: 'grid dashboard export of a forged grid', who: 'supervisor', method: 'GET', path: `/api/prevention/dashboard/export.xlsx?gridId=${RANDOM_UUID}`, expect: NOT_FOUND },
  { name: 'patrol export in a state that does not exist', who: 'handler1', method: 'GET', path: '/api/prevention/patrols/export.xlsx?state=lost', expect: VALIDATION('query.state') },
  { name: 'patrol export of an employer id that is no uuid', who: 'handler1', method: 'GET', path: '/api/prevention/patrols/export.xlsx?employerId=%27%20OR%201%3D1%20--', expect: VALIDATION('query.employerId') },
  { name: 'warning export in purple', who: 'handler1', method: 'GET', path: '/api/prevention/warnings/export.xlsx?colour=purple', expect: VALIDATION('query.colour') },
  { name: 'patrol photo of a forged patrol', who: 'handler1', method: 'POST', path: `/api/prevention/patrols/${RANDOM_UUID}/photos`, body: json({ fileName: 'a.png', contentBase64: 'iVBORw0KGgo=' }), expect: NOT_FOUND },
  { name: 'patrol photo of a patrol id that is no uuid', who: 'handler1', method: 'POST', path: '/api/prevention/patrols/..%2F..%2Fetc/photos', body: json({ fileName: 'a.png', contentBase64: 'iVBORw0KGgo=' }), expect: VALIDATION('params.id') },
  { name: 'patrol photos of a forged patrol', who: 'handler1', method: 'GET', path: `/api/prevention/patrols/${RANDOM_UUID}/photos`, expect: NOT_FOUND },
  { name: 'patrol photo read by an id that is no uuid', who: 'handler1', method: 'GET', path: '/api/prevention/patrols/photos/1%20OR%201%3D1', expect: VALIDATION('params.photoId') },
  { name: 'patrol photo read of a forged photo', who: 'handler1', method: 'GET', path: `/api/prevention/patrols/photos/${RANDOM_UUID}`, expect: NOT_FOUND },
  { name: 'employer export with an escape sequence', who: 'intake', method: 'GET', path: '/api/employers/export.xlsx?q=%1B%5B2J', expect: VALIDATION('query.q') },

  { name: 'calendar by a handler', who: 'handler1', method: 'PUT', path: '/api/calendar/years/2027', body: calendarBody(), expect: FORBIDDEN },
  { name: 'calendar of the year 1999', who: 'admin', method: 'PUT', path: '/api/calendar/years/1999', body: calendarBody(), expect: VALIDATION('params.year') },
  { name: 'calendar holiday on 2027-02-30', who: 'admin', method: 'PUT', path: '/api/calendar/years/2027', body: calendarBody([{ date: '2027-02-30', kind: 'holiday', name: '春节' }]), expect: VALIDATION('body.entries.0.date') },
  { name: 'calendar holiday name with an escape sequence', who: 'admin', method: 'PUT', path: '/api/calendar/years/2027', body: calendarBody([{ date: '2027-01-01', kind: 'holiday', name: CONTROL.ansi }]), expect: VALIDATION('body.entries.0.name') },
  { name: 'cross-site: calendar', who: 'admin', method: 'PUT', path: '/api/calendar/years/2027', headers: { Origin: 'https://evil.example' }, body: calendarBody(), expect: CROSS_SITE },

  // --- Methods a route does not have answer 405 in the one error shape.
  { name: 'PUT on the session', who: 'handler1', method: 'PUT', path: '/api/session', body: json({ username: 'admin' }), expect: { status: 405, code: 'METHOD_NOT_ALLOWED' } },
  { name: 'DELETE on an employer', who: 'admin', method: 'DELETE', path: (f) => `/api/employers/${f.employerId}`, expect: { status: 405, code: 'METHOD_NOT_ALLOWED' } },
  { name: 'PATCH on the grids', who: 'admin', method: 'PATCH', path: '/api/grids', body: json({ code: 'x' }), expect: { status: 405, code: 'METHOD_NOT_ALLOWED' } },

  // --- Task completion: only the fields of the task's form, with their types. Last, because a server
  // that lets one of these through completes the task.
  { name: 'completion with a variable not in the form (caseId)', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: json({ variables: investigationVariables({ caseId: RANDOM_UUID }) }), expect: VALIDATION('body.variables.caseId') },
  { name: 'completion with a variable not in the form (gridCode)', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: json({ variables: investigationVariables({ gridCode: 'RM-01' }) }), expect: VALIDATION('body.variables.gridCode') },
  { name: 'completion with a form field of the wrong type', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: json({ variables: investigationVariables({ workersOwed: 'many' }) }), expect: VALIDATION('body.variables.workersOwed') },
  { name: 'completion with an option the form does not offer', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: json({ variables: investigationVariables({ investigationOutcome: 'close-silently' }) }), expect: VALIDATION('body.variables.investigationOutcome') },
  { name: 'completion with variables nested 5,000 deep', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: `{"variables":{"findings":${deepJson(5000)}}}`, expect: TOO_DEEP },
  { name: 'completion with 20,000 variables', who: 'handler1', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, body: json({ variables: manyKeys(20_000) }), expect: TOO_MANY_KEYS },
];

// ---------------------------------------------------------------------------------------------
// Helpers



/** A refused login legitimately counts a failure against the username; nothing else may change. */
const LOGIN_TABLES = ['login_failures', 'sessions'];
const isLogin = (e: Entry) => e.method === 'POST' && e.path === '/api/session';

const hasHeader = (headers: Record<string, string>, name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());

function describeEntry(e: Entry): string {
  const accepted = Array.isArray(e.expect) ? e.expect : [e.expect];
  return `${e.name} → ${accepted.map((x) => `${x.status} ${x.code}`).join(' | ')}`;
}

describe.each(testDbKinds())('hostile input corpus (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let f: Fixtures;
  let tables: string[];
  const agents = new Map<Who, ReturnType<typeof request.agent> | ReturnType<typeof request>>();

  beforeAll(async () => {
    t = await startTestApp(kind, 'hostile');
    life = lifecycle(t);
    tables = await listTables(t.db);

    // A case of handler1's grid, filed and waiting for the investigation (candidate group JF-01).
    const [jf]: { id: string; grid_id: string }[] = await t.db.ds.query("SELECT e.id, e.grid_id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    const intake = await t.login('intake');
    const registered = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId: jf.id } }));
    if (registered.status !== 201) throw new Error(`fixture complaint: ${registered.status} ${JSON.stringify(registered.body)}`);
    const { caseId, caseNumber } = registered.body as { caseId: string; caseNumber: string };
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection', triageOpinion: '属于监察事项' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { handlerOpinion: '建议立案', filingApproved: true, filingOpinion: '同意立案' });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    const task = await life.task(caseId, 'Task_Investigate');
    const [pi]: { pik: string | number }[] = await t.db.ds.query('SELECT process_instance_id AS pik FROM engine_user_tasks WHERE id = ?', [Number(task.key)]);

    // A document and a mail of the case, made the way the workers make them.
    const office = await t.db.ds.manager.findOneOrFail(Office, { where: {} });
    const document = await inTransaction(t.db.ds, (em) => issueDocument(em, {
      officeId: office.id, caseId, typeId: 'complaint-register', issuedBy: 'intake', issuedAt: t.clock.now().getTime(), data: documentTypes['complaint-register'].sample,
    }));
    const mailId = await inTransaction(t.db.ds, (em) => queueMail(em, { to: [{ email: 'liaison@police.example.cn' }], subject: '提醒', textBody: '请尽快答复', purpose: 'police_reminder', officeId: office.id, caseId }));
    const [handler2]: { id: string }[] = await t.db.ds.query("SELECT id FROM users WHERE username = 'handler2'");

    const now = t.clock.now().getTime();
    f = {
      caseId, caseNumber, taskKey: task.key, processInstanceKey: String(pi.pik), documentId: document.id, mailId, employerId: jf.id, gridId: jf.grid_id,
      handler2Id: handler2.id, servedAt: new Date(now).toISOString(), nextMonth: new Date(now + 31 * 86_400_000).toISOString().slice(0, 10),
    };

    agents.set('anonymous', t.anonymous());
    for (const u of ['intake', 'handler1', 'handler2', 'legal', 'supervisor', 'admin'] as const) agents.set(u, await t.login(u));
    agents.set('spare', await t.login('intake'));
    // Let the workers and the supervision runner finish with the new case before counting rows.
    await life.settle();
    await t.core.supervision.runOnce();
    await t.core.mail.runOnce();
  });
  afterAll(async () => t?.close());

  /**
   * Waits until the row counts hold still: the workers and the supervision runner may still be busy
   * with something an earlier test wrote (or an earlier entry that was wrongly let through), and their
   * writes must not be taken for the next entry's.
   */
  const quiescent = () => untilAtRest(t.db, tables);

  /** Sends the entry exactly as written: raw body, its headers, JSON content type unless it names one. */
  async function send(e: Entry) {
    const agent = agents.get(e.who)!;
    const path = typeof e.path === 'function' ? e.path(f) : e.path;
    let req = agent[e.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    const headers = e.headers ?? {};
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    if (e.body === undefined) return req;
    const body = typeof e.body === 'function' ? e.body(f) : e.body;
    if (!hasHeader(headers, 'Content-Type')) req = req.set('Content-Type', 'application/json');
    return req.send(body);
  }

  it('has a corpus of at least 60 request classes covering every write route', () => {
    expect(ENTRIES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ENTRIES.map((e) => e.name)).size).toBe(ENTRIES.length);
    expect(tables).toEqual(expect.arrayContaining(['cases', 'audit_log', 'engine_user_tasks', 'sessions', 'login_failures']));
  });

  it.each(ENTRIES.map((e) => [describeEntry(e), e] as const))('%s', async (_label, e) => {
    const watched = isLogin(e) ? tables.filter((x) => !LOGIN_TABLES.includes(x)) : tables;
    await quiescent();
    const before = await countRows(t.db, watched);
    const res = await send(e);
    const accepted = Array.isArray(e.expect) ? e.expect : [e.expect];
    const actual = { status: res.status, code: res.body?.error?.code };
    const matched = accepted.find((x) => x.status === actual.status && x.code === actual.code);
    // Status and code in one comparison, so a failure shows both, against every accepted refusal.
    expect(actual).toEqual(matched ? { status: matched.status, code: matched.code } : { status: accepted.map((x) => x.status).join(' or '), code: accepted.map((x) => x.code).join(' or ') });
    expect(typeof res.body.error.message).toBe('string');
    if (matched?.detailPath) {
      expect((res.body.error.details ?? []).map((d: { path: string }) => d.path)).toContain(matched.detailPath);
    }
    // Nothing internal leaks into a refusal.
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE_|ER_[A-Z_]+|at [\w.]+ \(|node_modules|\/src\//);
    expect(await countRows(t.db, watched)).toEqual(before);
  });

  it('accepts the same writes from the service\'s own origin, so the cross-site check is not a blanket refusal', async () => {
    const intake = agents.get('intake')!;
    const origin = `http://127.0.0.1:${(t.server.address() as { port: number }).port}`;
    const same = await intake.post('/api/employers').set('Origin', origin).set('Sec-Fetch-Site', 'same-origin').set('Content-Type', 'application/json')
      .send(employerBody(f, { name: '同源请求劳务有限公司' }));
    expect(same.status).toBe(201);
    // A browser's own navigation (no Origin, Sec-Fetch-Site none) and a client without those headers write too.
    const direct = await intake.post('/api/employers').set('Sec-Fetch-Site', 'none').set('Content-Type', 'application/json').send(employerBody(f, { name: '直接请求劳务有限公司' }));
    expect(direct.status).toBe(201);
  });

  it('answers a hostile request id with one of its own instead of echoing it', async () => {
    const res = await agents.get('intake')!.get('/api/session').set('X-Request-Id', '<script>x</script> "level":60 forged');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{8,64}$/);
  });

  it('stores hostile but printable text literally: script tags, SQL, newlines and tabs', async () => {
    const intake = agents.get('intake')!;
    const name = `<script>alert(1)</script>'); DROP TABLE employers; -- 𠮷`;
    const address = '解放路 1 号\n3 单元\t201 室';
    const res = await intake.post('/api/employers').set('Content-Type', 'application/json').send(employerBody(f, { name, address }));
    expect(res.status).toBe(201);
    const back = await intake.get(`/api/employers/${res.body.id}`);
    expect(back.body).toMatchObject({ name, address });
  });

  it('refuses a second completion of a task with 409 TASK_ALREADY_COMPLETED, writing nothing', async () => {
    const handler1 = agents.get('handler1')!;
    // The first completion writes (the case moves on); it is outside the row-count check.
    const first = await handler1.post(`/api/tasks/${f.taskKey}/complete`).set('Content-Type', 'application/json').send(json({ variables: investigationVariables() }));
    expect({ status: first.status, body: first.status === 200 ? undefined : first.body }).toEqual({ status: 200, body: undefined });
    await life.settle();
    await quiescent();
    const before = await countRows(t.db, tables);
    const second = await handler1.post(`/api/tasks/${f.taskKey}/complete`).set('Content-Type', 'application/json').send(json({ variables: investigationVariables({ findings: '再次提交' }) }));
    expect({ status: second.status, code: second.body?.error?.code }).toEqual({ status: 409, code: 'TASK_ALREADY_COMPLETED' });
    expect(await countRows(t.db, tables)).toEqual(before);
  });
});
