/** Import of employer registers (xlsx, csv): a dry run that reports, or a confirmed import that writes. */
import Router from '@koa/router';
import { inTransaction } from '../../db/data-source';
import { importEmployers, importSchema } from '../../employers/import';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { route, type RouteDoc } from '../openapi';

export function employerImportRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/employers/import' });
  router.use(requireLogin);

  router.post('/', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(importSchema, ctx.request.body, 'body');
    const run = (em: Parameters<typeof importEmployers>[0]) => importEmployers(em, principal, actor, deps.clock.now(), input, deps.settings.EMPLOYER_IMPORT_MAX_ROWS);
    // A dry run reads only; a confirmed import writes every accepted row in one transaction.
    ctx.body = input.confirm ? await inTransaction(deps.ds, run) : await run(deps.ds.manager);
  });

  return router;
}

export const employerImportRouteDocs: RouteDoc[] = [
  route('post', '/api/employers/import', {
    summary: 'Import an employer register (xlsx or csv, base64): without confirm a dry run reporting every row it would refuse and why and what it would create or change; with confirm: true the accepted rows are written (matched by credit code, so a second import of the same file changes nothing)',
    auth: 'intake, admin', body: importSchema, responses: { 200: '{fileName, confirmed, rows, columns, counts, refused, changes}' },
    errors: { 400: ['IMPORT_UNREADABLE', 'IMPORT_COLUMNS', 'IMPORT_TOO_MANY_ROWS', 'IMPORT_EMPTY'], 403: ['FORBIDDEN'] },
  }),
];
