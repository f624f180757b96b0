import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type Koa from 'koa';
import type { Actor } from '../audit/audit';
import type { Principal } from '../auth/principal';
import type { SessionService } from '../auth/sessions';
import type { Clock } from '../clock/clock';
import type { LegalRuleSet } from '../config/legal-rules';
import type { Settings } from '../config/settings';
import type { WorkflowEngine } from '../engine/port';

/** What the HTTP layer is built from; tests build it with their own database and clock. */
export interface AppDeps {
  settings: Settings;
  ds: DataSource;
  clock: Clock;
  logger: Logger;
  sessions: SessionService;
  /** The engine cases run on: the embedded engine or the Zeebe adapter (ENGINE). */
  engine: WorkflowEngine;
  rules: LegalRuleSet;
  /** Reports the engine's state for /api/health. */
  engineStatus?: () => Promise<{ kind: string; ok: boolean; detail?: string }>;
}

export interface AppState {
  requestId: string;
  log: Logger;
  principal?: Principal;
  actor?: Actor;
}

export type AppContext = Koa.ParameterizedContext<AppState>;
