import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { isMysql, longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

export class Foundation1700000000000 implements MigrationInterface {
  name = 'Foundation1700000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'offices',
      columns: [id(), str('code', 32), str('name', 200), str('doc_prefix', 32), ms('created_at')],
      uniques: [{ name: 'uq_offices_code', columnNames: ['code'] }],
    }));
    await qr.createTable(new Table({
      name: 'grids',
      columns: [id(), ref('office_id'), ref('parent_id', true), { name: 'level', type: 'int' }, str('code', 64), str('name', 200), ms('created_at')],
      uniques: [{ name: 'uq_grids_code', columnNames: ['code'] }],
      foreignKeys: [
        { columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] },
        { columnNames: ['parent_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] },
      ],
      indices: [{ name: 'ix_grids_parent', columnNames: ['parent_id'] }],
    }));
    await qr.createTable(new Table({
      name: 'users',
      columns: [id(), ref('office_id'), str('username', 64), str('display_name', 100), str('password_hash', 255), { name: 'active', type: 'boolean' }, ms('created_at'), ms('updated_at')],
      uniques: [{ name: 'uq_users_username', columnNames: ['username'] }],
      foreignKeys: [{ columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'user_roles',
      columns: [{ ...ref('user_id'), isPrimary: true }, { ...str('role', 32), isPrimary: true }],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'user_grids',
      columns: [{ ...ref('user_id'), isPrimary: true }, { ...ref('grid_id'), isPrimary: true }],
      foreignKeys: [
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        { columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'sessions',
      columns: [{ ...str('id', 64), isPrimary: true }, ref('user_id'), ms('created_at'), ms('expires_at')],
      foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
    }));
    await qr.createTable(new Table({
      name: 'login_failures',
      columns: [{ ...str('username', 64), isPrimary: true }, { name: 'failures', type: 'int' }, ms('locked_until', true), ms('last_failure_at')],
    }));
    await qr.createTable(new Table({
      name: 'employers',
      columns: [id(), ref('office_id'), ref('grid_id'), str('name', 200), str('credit_code', 18, true), str('address', 300),
        str('legal_representative', 100, true), str('phone', 40, true), { name: 'headcount', type: 'int', isNullable: true }, ms('created_at'), ms('updated_at')],
      uniques: [{ name: 'uq_employers_credit_code', columnNames: ['office_id', 'credit_code'] }],
      foreignKeys: [
        { columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] },
        { columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] },
      ],
      indices: [{ name: 'ix_employers_grid', columnNames: ['grid_id'] }, { name: 'ix_employers_name', columnNames: ['name'] }],
    }));
    await qr.createTable(new Table({
      name: 'audit_log',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        ms('at'), ref('actor_id', true), str('actor_name', 64), str('action', 64), str('entity_type', 32), str('entity_id', 64),
        ref('case_id', true), str('request_id', 64, true),
        { name: 'before_json', type: longText(qr), isNullable: true }, { name: 'after_json', type: longText(qr), isNullable: true },
      ],
    }));
    await qr.createIndex('audit_log', new TableIndex({ name: 'ix_audit_entity', columnNames: ['entity_type', 'entity_id'] }));
    await qr.createIndex('audit_log', new TableIndex({ name: 'ix_audit_case', columnNames: ['case_id', 'id'] }));

    // The audit log is append-only at the database level too, not only by convention in code.
    if (isMysql(qr)) {
      await qr.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
      await qr.query(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
    } else {
      await qr.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
      await qr.query(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TRIGGER IF EXISTS audit_log_no_update');
    await qr.query('DROP TRIGGER IF EXISTS audit_log_no_delete');
    for (const t of ['audit_log', 'employers', 'login_failures', 'sessions', 'user_grids', 'user_roles', 'users', 'grids', 'offices']) {
      await qr.dropTable(t);
    }
  }
}
