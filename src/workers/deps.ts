import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import type { LegalRuleSet } from '../config/legal-rules';
import type { MailAddress } from '../mail';
import type { WarningEngine } from '../prevention/warnings';

/** What the directory knows of the case a mail is about: its grid and the usernames of its inspectors. */
export interface MailContext {
  gridId: string | null;
  inspectors: string[];
}

/** The addresses of a role; `placeholder` when the office has none on file and a stand-in address was given. */
export interface DirectoryAnswer {
  addresses: MailAddress[];
  placeholder: boolean;
}

/** Who receives mail for a role of an office (supervisors, the police liaison…). */
export type MailDirectory = (officeId: string, role: string, context?: MailContext) => Promise<DirectoryAnswer>;

/** What workers are built from: injected, so tests pass their own database, clock and rules. */
export interface WorkerDeps {
  ds: DataSource;
  clock: Clock;
  rules: LegalRuleSet;
  logger: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
  /** Addresses per role; the default reads office_contacts and users' addresses (see mail.send.ts). */
  mailDirectory?: MailDirectory;
  /** Days after today a service date may name (setting SERVICE_DATE_DAYS_AHEAD); 0 when not given. */
  serviceDateDaysAhead?: number;
  /** Starts and messages lifecycles (the prevention workers open warnings and inspection cases); set by the service. */
  processes?: WarningEngine;
}
