import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false, dflt?: number) => ({ name, type: 'int', isNullable: nullable, ...(dflt === undefined ? {} : { default: dflt }) });

/**
 * The employer file (一户一档) and the grids' people (两网化):
 * - employers gain registration fields (industry, ownership, scale) and the labour data a grid collects
 *   (headcount, migrant workers, contracts, wages, hours, social insurance, union, coordinator,
 *   construction project data); `file_complete` and `file_collected_at` summarise the required fields
 *   for the collection-rate figures; the grid becomes optional, so an imported employer no address
 *   rule places waits in the unplaced list;
 * - employer_fields: who collected each field and when;
 * - employer_changes: every change, field by field, old and new, who and when (moves included);
 * - grid_staff and grid_staff_training: the people of each grid by kind, and their training;
 * - grid_address_rules: street and number ranges, or a community name, that place an employer in a grid.
 */
export class EmployerFile1700000023100 implements MigrationInterface {
  name = 'EmployerFile1700000023100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.changeColumn('employers', 'grid_id', new TableColumn(ref('grid_id', true)));
    const columns = [
      str('industry', 100, true), str('ownership', 24, true), str('scale', 16, true),
      int('migrant_workers', true), int('contracts_signed', true),
      int('wage_pay_day', true), str('wage_pay_method', 16, true),
      // Arrears the employer or its workers report, in fen (分), and how many workers are owed.
      { name: 'wage_arrears_fen', type: 'bigint', isNullable: true }, int('wage_arrears_workers', true),
      str('working_hours_system', 16, true), int('social_insurance_participants', true),
      int('has_union', true), str('coordinator_name', 100, true), str('coordinator_phone', 40, true),
      int('construction_project', true), str('main_contractor', 200, true), str('wage_account', 64, true),
      ref('responsible_staff_id', true),
      int('file_complete', false, 0), ms('file_collected_at', true),
      // How the grid was chosen: an address rule, by hand, or not yet (null while unplaced).
      str('placed_by', 8, true),
    ];
    for (const c of columns) await qr.addColumn('employers', new TableColumn(c));
    await qr.createIndex('employers', new TableIndex({ name: 'ix_employers_office_name', columnNames: ['office_id', 'name', 'id'] }));
    await qr.createIndex('employers', new TableIndex({ name: 'ix_employers_grid_name', columnNames: ['grid_id', 'name', 'id'] }));
    await qr.createIndex('employers', new TableIndex({ name: 'ix_employers_office_grid_file', columnNames: ['office_id', 'grid_id', 'file_complete', 'file_collected_at'] }));

    await qr.createTable(new Table({
      name: 'employer_fields',
      columns: [
        { ...ref('employer_id'), isPrimary: true }, { ...str('field', 40), isPrimary: true },
        ref('collected_by', true), str('collected_by_name', 100), ms('collected_at'), str('source', 16),
      ],
      foreignKeys: [{ columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'employer_changes',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        ref('employer_id'), str('field', 40),
        { name: 'old_value', type: longText(qr), isNullable: true }, { name: 'new_value', type: longText(qr), isNullable: true },
        ref('changed_by', true), str('changed_by_name', 100), ms('changed_at'), str('source', 16),
      ],
      foreignKeys: [{ columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_employer_changes_employer', columnNames: ['employer_id', 'id'] }],
    }));
    await qr.createTable(new Table({
      name: 'grid_staff',
      columns: [
        id(), ref('office_id'), ref('grid_id'), str('kind', 24), str('name', 100), str('phone', 40, true),
        ref('user_id', true), ref('employer_id', true), int('active', false, 1), ms('created_at'), ms('updated_at'),
      ],
      foreignKeys: [
        { columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] },
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_grid_staff_office', columnNames: ['office_id', 'grid_id', 'kind'] },
        { name: 'ix_grid_staff_user', columnNames: ['user_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'grid_staff_training',
      columns: [
        id(), ref('staff_id'), str('course', 200), str('trained_on', 10),
        // Hours in tenths, exact in both databases (2.5 hours = 25).
        int('hours_tenths'), str('created_by', 64), ms('created_at'),
      ],
      foreignKeys: [{ columnNames: ['staff_id'], referencedTableName: 'grid_staff', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_grid_staff_training_staff', columnNames: ['staff_id', 'trained_on'] }],
    }));
    await qr.createTable(new Table({
      name: 'grid_address_rules',
      columns: [
        id(), ref('office_id'), ref('grid_id'), str('kind', 16),
        str('street', 100, true), int('number_from', true), int('number_to', true), str('parity', 8, true),
        str('community', 100, true), str('created_by', 64), ms('created_at'), ms('updated_at'),
      ],
      foreignKeys: [{ columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_grid_address_rules_office', columnNames: ['office_id', 'kind'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['grid_address_rules', 'grid_staff_training', 'grid_staff', 'employer_changes', 'employer_fields']) await qr.dropTable(t);
    for (const i of ['ix_employers_office_grid_file', 'ix_employers_grid_name', 'ix_employers_office_name']) await qr.dropIndex('employers', i);
    for (const c of ['industry', 'ownership', 'scale', 'migrant_workers', 'contracts_signed', 'wage_pay_day', 'wage_pay_method', 'wage_arrears_fen',
      'wage_arrears_workers', 'working_hours_system', 'social_insurance_participants', 'has_union', 'coordinator_name', 'coordinator_phone',
      'construction_project', 'main_contractor', 'wage_account', 'responsible_staff_id', 'file_complete', 'file_collected_at', 'placed_by']) {
      await qr.dropColumn('employers', c);
    }
  }
}
