import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An instance staff started by hand (POST /api/process-instances) now records the starter's office
 * as its scope, like every other instance without a case, so that only that office's staff manage
 * it and only its broadcasts reach it. Instances started before carry no scope, which the policy
 * reads as "any office's"; their starter is in the audit log (`process.start`), and his office
 * becomes theirs.
 */
export class StartedInstancesScoped1700000030500 implements MigrationInterface {
  name = 'StartedInstancesScoped1700000030500';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`INSERT INTO instance_scopes (process_instance_key, office_id, grid_id, kind, created_at)
      SELECT a.entity_id, MIN(u.office_id), NULL, 'started', MIN(a.at) FROM audit_log a JOIN users u ON u.id = a.actor_id
      WHERE a.action = 'process.start' AND a.entity_type = 'process_instance'
        AND NOT EXISTS (SELECT 1 FROM instance_scopes s WHERE s.process_instance_key = a.entity_id)
      GROUP BY a.entity_id`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DELETE FROM instance_scopes WHERE kind = 'started'");
  }
}
