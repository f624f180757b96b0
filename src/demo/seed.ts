/**
 * Demo data for the embedded start: one office with two streets and their communities, a user per
 * role (password demo1234) and a few employers. Runs only when the DEMO setting is on, and only
 * once: an existing office means the database is already in use and is left alone.
 */
import crypto from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { inTransaction } from '../db/data-source';
import { recordAudit, systemActor } from '../audit/audit';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { endSessionsOf } from '../auth/sessions';
import { makeCreditCode } from '../cases/credit-code';
import { Employer, Grid, Office, Role, User, UserEmployer, UserGrid, UserRole } from '../db/entities';
import { seedDemoGridPeople } from '../org/demo-grid-people';

export const DEMO_PASSWORD = 'demo1234';

interface DemoUser { username: string; displayName: string; roles: Role[]; grids: string[]; employer?: string }

const DEMO_USERS: DemoUser[] = [
  { username: 'intake', displayName: '窗口 王敏', roles: ['intake'], grids: [] },
  { username: 'handler1', displayName: '监察员 李强', roles: ['handler'], grids: ['JF'] },
  { username: 'handler2', displayName: '监察员 赵磊', roles: ['handler'], grids: ['RM'] },
  { username: 'legal', displayName: '法制 陈静', roles: ['legal'], grids: [] },
  { username: 'supervisor', displayName: '大队长 刘洋', roles: ['supervisor'], grids: [] },
  { username: 'admin', displayName: '管理员 孙涛', roles: ['admin'], grids: [] },
  { username: 'grid1', displayName: '协管员 马丽', roles: ['grid_officer'], grids: ['JF-01'] },
  { username: 'coordinator1', displayName: '企业协管员 钱军', roles: ['enterprise_coordinator'], grids: [], employer: '郑州宏达建筑劳务有限公司' },
];

const STREETS = [
  { code: 'JF', name: '解放路街道', communities: [{ code: 'JF-01', name: '解放路社区' }, { code: 'JF-02', name: '铭功路社区' }] },
  { code: 'RM', name: '人民路街道', communities: [{ code: 'RM-01', name: '人民路社区' }, { code: 'RM-02', name: '丰产路社区' }] },
];

const EMPLOYERS = [
  { grid: 'JF-01', name: '郑州宏达建筑劳务有限公司', address: '郑州市二七区解放路 18 号', legalRepresentative: '张宏达', headcount: 86 },
  { grid: 'JF-02', name: '郑州美佳餐饮管理有限公司', address: '郑州市二七区铭功路 66 号', legalRepresentative: '周美佳', headcount: 24 },
  { grid: 'RM-01', name: '河南鑫源电子科技有限公司', address: '郑州市金水区人民路 120 号', legalRepresentative: '吴鑫', headcount: 150 },
  { grid: 'RM-02', name: '郑州顺通物流有限公司', address: '郑州市金水区丰产路 9 号', legalRepresentative: '郑顺', headcount: 42 },
];

/** The demo office's outside contacts: clearly example addresses, never real bodies. */
const DEMO_CONTACTS = [
  { role: 'police-liaison', name: '二七公安分局经侦大队联络员（示例）', email: 'police-liaison@erqi-police.example.cn' },
  { role: 'court', name: '二七区人民法院立案庭（示例）', email: 'filing@erqi-court.example.cn' },
  { role: 'arbitration-commission', name: '二七区劳动人事争议仲裁委员会（示例）', email: 'arbitration@erqi-ldzc.example.cn' },
  { role: 'social-insurance-audit', name: '二七区社会保险稽查科（示例）', email: 'si-audit@erqi-hrss.example.cn' },
  { role: 'supervisor-mailbox', name: '监察大队督办信箱（示例）', email: 'supervisors@erqi-hrss.example.cn' },
];

export async function seedDemoData(ds: DataSource, now: Date): Promise<boolean> {
  if ((await ds.manager.count(Office)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await inTransaction(ds, async (em) => {
    const t = now.getTime();
    const office: Office = { id: crypto.randomUUID(), code: 'ZZ-EQ', name: '郑州市二七区劳动保障监察大队', docPrefix: '郑人社监', createdAt: t };
    await em.insert(Office, office);
    const gridIds = new Map<string, string>();
    const userIds = new Map<string, string>();
    for (const street of STREETS) {
      const streetId = crypto.randomUUID();
      gridIds.set(street.code, streetId);
      await em.insert(Grid, { id: streetId, officeId: office.id, parentId: null, level: 1, code: street.code, name: street.name, createdAt: t });
      for (const c of street.communities) {
        const id = crypto.randomUUID();
        gridIds.set(c.code, id);
        await em.insert(Grid, { id, officeId: office.id, parentId: streetId, level: 2, code: c.code, name: c.name, createdAt: t });
      }
    }
    for (const u of DEMO_USERS) {
      const id = crypto.randomUUID();
      userIds.set(u.username, id);
      await em.insert(User, { id, officeId: office.id, username: u.username, displayName: u.displayName, passwordHash, active: true, createdAt: t, updatedAt: t });
      for (const role of u.roles) await em.insert(UserRole, { userId: id, role });
      for (const g of u.grids) await em.insert(UserGrid, { userId: id, gridId: gridIds.get(g)! });
    }
    let serial = 1;
    const employerIds = new Map<string, string>();
    for (const e of EMPLOYERS) {
      const id = crypto.randomUUID();
      employerIds.set(e.name, id);
      const creditCode = makeCreditCode(`914101037${String(serial++).padStart(8, '0')}`);
      await em.insert(Employer, { id, officeId: office.id, gridId: gridIds.get(e.grid)!, name: e.name, creditCode, address: e.address, legalRepresentative: e.legalRepresentative, phone: null, headcount: e.headcount, createdAt: t, updatedAt: t });
      for (const u of DEMO_USERS.filter((d) => d.employer === e.name)) await em.insert(UserEmployer, { userId: userIds.get(u.username)!, employerId: id });
    }
    await seedDemoGridPeople(em, { officeId: office.id, grids: gridIds, users: userIds, employers: employerIds }, t);
    // Example addresses only (example.cn): an installation sets its own under /api/contacts.
    for (const c of DEMO_CONTACTS) {
      await em.query('INSERT INTO office_contacts (id, office_id, role, name, email, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [crypto.randomUUID(), office.id, c.role, c.name, c.email, 'demo', t]);
    }
    await recordAudit(em, systemActor('demo'), now, { action: 'demo.seed', entityType: 'office', entityId: office.id, after: { office: office.name, users: DEMO_USERS.map((u) => u.username) } });
  });
  return true;
}

/** The demo users' names, for the start banner and the production check. */
export const DEMO_USERNAMES: readonly string[] = DEMO_USERS.map((u) => u.username);

/**
 * Production start: a demo account is an active user with a demo username whose password is still
 * the published demo password (a data folder that began as a demo start). Such accounts are
 * deactivated, with their sessions, and the change is audited; the names are returned for the
 * start-up warning. An account whose password was changed is left alone: it is someone's now.
 */
export async function disableDemoAccounts(ds: DataSource, now: Date): Promise<string[]> {
  const candidates = (await ds.manager.find(User, { where: { username: In([...DEMO_USERNAMES]), active: true } }))
    .filter((u) => DEMO_USERNAMES.includes(u.username));
  const demo: User[] = [];
  for (const u of candidates) if (await verifyPassword(DEMO_PASSWORD, u.passwordHash)) demo.push(u);
  if (!demo.length) return [];
  await inTransaction(ds, async (em) => {
    for (const u of demo) {
      await em.update(User, { id: u.id }, { active: false, updatedAt: now.getTime() });
      await endSessionsOf(em, u.id);
      await recordAudit(em, systemActor('production-start'), now, {
        action: 'user.deactivate-demo', entityType: 'user', entityId: u.id, before: { active: true }, after: { active: false, reason: 'demo password in production' },
      });
    }
  });
  return demo.map((u) => u.username);
}
