/**
 * The public-notice period of service (民事诉讼法 第95条) is the legal rule `service.publicNotice`:
 * an installation's LEGAL_RULES_FILE changes when a notice served through the API takes effect, and an
 * office's own override applies to its documents.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bindLegalRules, loadLegalRulesFile } from '../../../src/config/legal-rules';
import { inTransaction } from '../../../src/db/data-source';
import { Office } from '../../../src/db/entities';
import { documentTypes } from '../../../src/documents/document-types';
import { issueDocument } from '../../../src/documents/documents';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

const DAY = 86_400_000;

describe.each(testDbKinds())('public-notice period from the legal rules on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  let officeId: string;
  let officeCode: string;

  const issue = async () => {
    const doc = await inTransaction(t.db.ds, (em) => issueDocument(em, {
      officeId, caseId: null, typeId: 'complaint-register', issuedBy: 'intake', issuedAt: t.clock.now().getTime(), data: documentTypes['complaint-register'].sample,
    }));
    return doc.id;
  };
  const serve = async (docId: string) => {
    const intake = await t.login('intake');
    const servedAt = t.clock.now().toISOString();
    const res = await intake.post(`/api/documents/${docId}/service`).send({ method: 'public_notice', servedAt, noticeMedium: '郑州日报' });
    expect(res.status).toBe(201);
    return (res.body.effectiveAt - Date.parse(servedAt)) / DAY;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'public-notice-'));
    const file = path.join(dir, 'legal-rules.json');
    fs.writeFileSync(file, JSON.stringify({ rules: { 'service.publicNotice': 60 } }));
    t = await startTestApp(kind, 'public_notice_rule', { LEGAL_RULES_FILE: file });
    const office = await t.db.ds.manager.findOneOrFail(Office, { where: {} });
    officeId = office.id;
    officeCode = office.code;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes effect after the period of the installation’s rules file, not a figure in code', async () => {
    expect(t.core.rules.rules['service.publicNotice'].value).toBe(60);
    expect(await serve(await issue())).toBe(60);
  });

  it('applies an office’s own override to that office’s documents', async () => {
    fs.writeFileSync(path.join(dir, 'legal-rules.json'), JSON.stringify({ rules: { 'service.publicNotice': 60 }, offices: { [officeCode]: { 'service.publicNotice': 40 } } }));
    // As a restart with the changed file would.
    bindLegalRules(t.db.ds, loadLegalRulesFile(path.join(dir, 'legal-rules.json')));
    expect(await serve(await issue())).toBe(40);
  });
});
