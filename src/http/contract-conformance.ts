/**
 * The server's side of the shared response types (src/contracts/api.ts): each line states that what a
 * module returns, once sent as JSON, is what the browser's pages read. If a field is renamed, dropped or
 * changes type on either side, `npm run typecheck` fails here instead of a page breaking at run time.
 * Routes that build their answer inline declare it with `satisfies` against the same types.
 */
import type { CaseDetail, CaseSummary, MailSummary, Task } from '../contracts/api';
import type { Conforms } from '../contracts/wire';
import type { caseDetail, searchCases } from '../cases/queries';
import type { UserTaskView } from '../engine/port-types';
import type { MailSummary as ServerMailSummary } from '../mail/types';

type Returned<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/** Each entry must be `true`; a `false` is a drift between the server and the pages. */
export const responseConformance: {
  caseListItem: Conforms<Returned<typeof searchCases>['items'][number], CaseSummary>;
  caseDetail: Conforms<Returned<typeof caseDetail>, CaseDetail>;
  inboxTask: Conforms<UserTaskView, Task>;
  mail: Conforms<ServerMailSummary, MailSummary>;
} = { caseListItem: true, caseDetail: true, inboxTask: true, mail: true };
