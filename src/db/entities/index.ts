import { AuditEntry } from './audit';
import { LoginFailure, Session } from './auth';
import { Employer, EmployerChange, EmployerField } from './employer';
import { Grid, Office, User, UserEmployer, UserGrid, UserRole } from './organisation';

export * from './audit';
export * from './auth';
export * from './employer';
export * from './organisation';

/** Every entity of the service; engine and later modules register theirs here. */
export const entities = [Office, Grid, User, UserRole, UserGrid, Session, LoginFailure, Employer, AuditEntry, UserEmployer, EmployerField, EmployerChange];
