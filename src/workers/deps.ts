import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import type { LegalRuleSet } from '../config/legal-rules';
import type { MailAddress } from '../mail';

/** Who receives mail for a role of an office (supervisors, the police liaison…). */
export type MailDirectory = (officeId: string, role: string) => Promise<MailAddress[]>;

/** What workers are built from: injected, so tests pass their own database, clock and rules. */
export interface WorkerDeps {
  ds: DataSource;
  clock: Clock;
  rules: LegalRuleSet;
  logger: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
  /** Addresses per role; the default derives placeholder addresses (see mail.send.ts). */
  mailDirectory?: MailDirectory;
}
