/**
 * Employer files (一户一档): the list with filters and keyset paging, one file with who collected each
 * field, create, update, the change history, moving between grids, placing the unplaced files by the
 * address rules, the employer's cases, and the list as xlsx.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { createEmployer, moveEmployer, placeUnplaced, updateEmployer } from '../../employers/commands';
import { employersSheet } from '../../employers/export';
import { FIELDS } from '../../employers/fields';
import { attachment, XLSX_CONTENT_TYPE, xlsxStream } from '../../employers/xlsx-stream';
import { employerCases, employerFile, employerHistory, listEmployers } from '../../employers/queries';
import { createEmployerSchema, historyQuerySchema, listEmployersSchema, moveEmployerSchema, updateEmployerSchema } from '../../employers/schemas';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const exportQuerySchema = listEmployersSchema.omit({ cursor: true, limit: true });

export function employerRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/employers' });
  router.use(requireLogin);

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(listEmployersSchema, ctx.query, 'query');
    ctx.body = await listEmployers(deps.ds.manager, principal, q);
  });

  router.get('/export.xlsx', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'employers.list');
    const q = parseInput(exportQuerySchema, ctx.query, 'query');
    ctx.set('Content-Type', XLSX_CONTENT_TYPE);
    ctx.set('Content-Disposition', attachment('用人单位名册.xlsx'));
    ctx.body = xlsxStream(employersSheet(deps.ds.manager, principal, q), (e) => deps.logger.warn({ err: e }, 'employer export failed while streaming'));
  });

  router.get('/fields', async (ctx) => {
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: FIELDS.map(({ key, label, kind, group, options, required, max }) => ({ key, label, kind, group, options: options ?? null, required: !!required, max: max ?? null })) };
  });

  router.post('/place-by-rules', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => placeUnplaced(em, principal, actor, deps.clock.now()));
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await employerFile(deps.ds.manager, principal, id);
  });

  router.get('/:id/history', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const q = parseInput(historyQuerySchema, ctx.query, 'query');
    ctx.body = { items: await employerHistory(deps.ds.manager, principal, id, q.limit) };
  });

  router.get('/:id/cases', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = { items: await employerCases(deps.ds.manager, principal, id, deps.clock.now().getTime()) };
  });

  router.post('/', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(createEmployerSchema, ctx.request.body, 'body');
    const created = await inTransaction(deps.ds, (em) => createEmployer(em, principal, actor, deps.clock.now(), input));
    ctx.status = 201;
    ctx.body = await employerFile(deps.ds.manager, principal, created.id).catch(() => ({ id: created.id, gridId: created.gridId }));
  });

  router.patch('/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(updateEmployerSchema, ctx.request.body, 'body');
    await inTransaction(deps.ds, (em) => updateEmployer(em, principal, actor, deps.clock.now(), id, input));
    ctx.body = await employerFile(deps.ds.manager, principal, id);
  });

  router.post('/:id/move', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(moveEmployerSchema, ctx.request.body, 'body');
    await inTransaction(deps.ds, (em) => moveEmployer(em, principal, actor, deps.clock.now(), id, input));
    ctx.body = await employerFile(deps.ds.manager, principal, id);
  });

  return router;
}

const fileErrors = { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] };

export const employerRouteDocs: RouteDoc[] = [
  route('get', '/api/employers', {
    summary: 'Employer files by name, with filters (name or address, credit code, grid, unplaced, industry, scale, complete) and keyset paging (nextCursor)',
    auth: 'logged in (handlers and grid officers: files of their grids; an enterprise coordinator: their employer)', query: listEmployersSchema, responses: { 200: '{items, nextCursor}' },
  }),
  route('get', '/api/employers/export.xlsx', {
    summary: 'The employer list (same filters) as an xlsx file; cells that begin with = + - @ are written as text with a leading apostrophe so no spreadsheet runs them',
    auth: 'intake, handler, legal, supervisor, admin, grid officer (their grids)', query: exportQuerySchema, responses: { 200: 'xlsx file' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/employers/fields', {
    summary: 'The fields of an employer file: Chinese label, kind, group, allowed values with labels, whether the collection rate requires it',
    auth: 'logged in', responses: { 200: '{items}' },
  }),
  route('post', '/api/employers/place-by-rules', {
    summary: "Place the office's unplaced files by the grids' address rules; those no rule (or two rules) decide stay unplaced",
    auth: 'intake, admin', responses: { 200: '{placed, remaining}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/employers/:id', {
    summary: 'One employer file: its fields, who collected each and when (collected), the required fields missing, the responsible staff member, what the user may do',
    auth: "whoever sees the file's grid; its enterprise coordinator", params: uuidParam, responses: { 200: 'The employer file' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/employers/:id/history', {
    summary: 'Every change of the file, newest first: field, old and new value (grids and staff by name), who and when; moves included',
    auth: "whoever sees the file's grid", params: uuidParam, query: historyQuerySchema, responses: { 200: '{items}' }, errors: fileErrors,
  }),
  route('get', '/api/employers/:id/cases', {
    summary: "The employer's cases the user may see, each with its documents and open deadlines",
    auth: "whoever sees the file's grid", params: uuidParam, responses: { 200: '{items}' }, errors: fileErrors,
  }),
  route('post', '/api/employers', {
    summary: "Create an employer file; the credit code's check digit is verified; without gridId the address rules place it (or it waits unplaced)",
    auth: 'intake, handler and grid officer (in their grids), admin', body: createEmployerSchema,
    responses: { 201: 'The employer file' }, errors: { 403: ['FORBIDDEN'], 409: ['EMPLOYER_EXISTS'] },
  }),
  route('patch', '/api/employers/:id', {
    summary: 'Change or confirm fields of an employer file (collectedOn: when they were collected); each change goes into its history',
    auth: 'intake, handler and grid officer (their grids), admin', params: uuidParam, body: updateEmployerSchema,
    responses: { 200: 'The employer file' }, errors: { ...fileErrors, 409: ['EMPLOYER_EXISTS'] },
  }),
  route('post', '/api/employers/:id/move', {
    summary: 'Move the file to another grid (or place an unplaced one); its history stays with it',
    auth: 'intake, admin; handler and grid officer between their grids', params: uuidParam, body: moveEmployerSchema,
    responses: { 200: 'The employer file' }, errors: fileErrors,
  }),
];
