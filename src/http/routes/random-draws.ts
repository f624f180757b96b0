/**
 * Random inspections (双随机、一公开): the inspection items list, recusals, the inspector register, draws
 * (made once, never changed), reproducing a draw from its stored seed and inputs, each inspection's
 * result, and publishing the results as a document and an xlsx list.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { inTransaction } from '../../db/data-source';
import { createItem, inspectorRegister, itemPatchSchema, itemSchema, listItems, listRecusals, recordRecusal, recusalSchema, updateItem } from '../../credit/draw-items';
import { createDraw, createDrawSchema, drawEvidence, drawView, listDraws, publishDraw, recordDrawResult, recordResultSchema, reproduceDraw } from '../../credit/draws';
import { drawXlsx } from '../../credit/publication-export';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const resultParams = z.strictObject({ id: z.string().uuid(), resultId: z.string().uuid() });
const noQuery = z.strictObject({});

export function randomDrawRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.use(['/api/random-draws', '/api/inspection-items', '/api/inspector-recusals'], requireLogin);
  const now = () => deps.clock.now().getTime();

  router.get('/api/inspection-items', async (ctx) => {
    parseInput(noQuery, ctx.query, 'query');
    ctx.body = { items: await listItems(deps.ds.manager, principalOf(ctx).principal) };
  });
  router.post('/api/inspection-items', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(itemSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => createItem(em, principal, actor, input, now()));
  });
  router.patch('/api/inspection-items/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(itemPatchSchema, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => updateItem(em, principal, actor, id, input, now()));
  });

  router.get('/api/inspector-recusals', async (ctx) => {
    parseInput(noQuery, ctx.query, 'query');
    ctx.body = { items: await listRecusals(deps.ds.manager, principalOf(ctx).principal) };
  });
  router.post('/api/inspector-recusals', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(recusalSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => recordRecusal(em, principal, actor, input, now()));
  });

  router.get('/api/random-draws', async (ctx) => {
    parseInput(noQuery, ctx.query, 'query');
    ctx.body = { items: await listDraws(deps.ds.manager, principalOf(ctx).principal) };
  });
  router.get('/api/random-draws/registers', async (ctx) => {
    parseInput(noQuery, ctx.query, 'query');
    ctx.body = await inspectorRegister(deps.ds.manager, principalOf(ctx).principal);
  });
  router.post('/api/random-draws', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(createDrawSchema, ctx.request.body, 'body');
    const id = await inTransaction(deps.ds, (em) => createDraw(em, {
      engine: deps.engine, rules: deps.rules, excludeGridInspector: deps.settings.DRAW_EXCLUDE_GRID_INSPECTOR, alwaysGradeC: deps.settings.DRAW_ALWAYS_GRADE_C, now: now(),
    }, principal, actor, input));
    ctx.status = 201;
    ctx.body = await drawView(deps.ds.manager, deps.rules, principal, id, now());
  });
  router.get('/api/random-draws/:id', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await drawView(deps.ds.manager, deps.rules, principalOf(ctx).principal, id, now());
  });
  router.get('/api/random-draws/:id/reproduce', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await reproduceDraw(deps.ds.manager, principalOf(ctx).principal, id);
  });
  router.get('/api/random-draws/:id/evidence', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await drawEvidence(deps.ds.manager, principalOf(ctx).principal, id);
  });
  router.get('/api/random-draws/:id/export.xlsx', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const view = await drawView(deps.ds.manager, deps.rules, principalOf(ctx).principal, id, now());
    ctx.set('Content-Type', XLSX);
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('双随机抽查结果.xlsx')}`);
    ctx.body = await drawXlsx(view);
  });
  router.post('/api/random-draws/:id/results/:resultId', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id, resultId } = parseInput(resultParams, ctx.params, 'params');
    const input = parseInput(recordResultSchema, ctx.request.body, 'body');
    await inTransaction(deps.ds, (em) => recordDrawResult(em, deps.engine, principal, actor, id, resultId, input, now()));
    ctx.body = await drawView(deps.ds.manager, deps.rules, principal, id, now());
  });
  router.post('/api/random-draws/:id/publish', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body ?? {}, 'body');
    await inTransaction(deps.ds, (em) => publishDraw(em, deps.engine, deps.rules, principal, actor, id, now()));
    ctx.status = 201;
    ctx.body = await drawView(deps.ds.manager, deps.rules, principal, id, now());
  });
  return router;
}

const drawErrors = { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] };

export const randomDrawRouteDocs: RouteDoc[] = [
  route('get', '/api/inspection-items', { summary: 'The inspection items list (抽查事项清单)', auth: 'intake, handler, legal, supervisor, admin', query: noQuery, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('post', '/api/inspection-items', { summary: 'Add an item to the inspection items list', auth: 'admin, legal', body: itemSchema, responses: { 201: 'The item' }, errors: { 403: ['FORBIDDEN'] } }),
  route('patch', '/api/inspection-items/:id', { summary: 'Change or retire an inspection item', auth: 'admin, legal', params: uuidParam, body: itemPatchSchema, responses: { 200: 'The item' }, errors: drawErrors }),
  route('get', '/api/inspector-recusals', { summary: 'Recusals: inspectors kept out of draws for an employer', auth: 'intake, handler, legal, supervisor, admin', query: noQuery, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('post', '/api/inspector-recusals', {
    summary: 'Record a recusal (回避): the user is never drawn for the employer', auth: 'a handler for themself; legal, supervisor, admin for anyone',
    body: recusalSchema, responses: { 201: '{id}' }, errors: drawErrors,
  }),
  route('get', '/api/random-draws', { summary: 'The office\'s random draws, newest first', auth: 'intake, handler, legal, supervisor, admin', query: noQuery, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('get', '/api/random-draws/registers', { summary: 'The registers a draw reads: employers and inspectors with their grids', auth: 'intake, handler, legal, supervisor, admin', query: noQuery, responses: { 200: '{employers, inspectors}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('post', '/api/random-draws', {
    summary: 'Draw employers (weighted by grade) and two inspectors each; store seed, inputs and result immutably; open each drawn employer\'s inspection case (workflow inspection-case)',
    description: 'The proportion defaults to rule draw.proportion; weights are rules draw.weight.*; conflicts are recusals and (setting DRAW_EXCLUDE_GRID_INSPECTOR) inspectors of the employer\'s own grid; every C-graded employer is drawn when DRAW_ALWAYS_GRADE_C is on.',
    auth: 'legal, supervisor', body: createDrawSchema, responses: { 201: 'The draw' },
    errors: { 400: ['VALIDATION_FAILED'], 403: ['FORBIDDEN'], 422: ['DRAW_EMPTY_REGISTER', 'DRAW_TOO_FEW_INSPECTORS', 'DRAW_UNKNOWN_ITEM'] },
  }),
  route('get', '/api/random-draws/:id', { summary: 'A draw with its drawn employers, inspectors, results and publication deadline', auth: 'intake, handler, legal, supervisor, admin', params: uuidParam, responses: { 200: 'The draw' }, errors: { 404: ['NOT_FOUND'] } }),
  route('get', '/api/random-draws/:id/reproduce', {
    summary: 'Recompute the draw from its stored seed and inputs and compare with the stored result and hashes', auth: 'intake, handler, legal, supervisor, admin', params: uuidParam,
    responses: { 200: '{reproduced, inputsIntact, resultIntact, resultMatches, problem, seed, inputsSha256, resultSha256}' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/random-draws/:id/evidence', { summary: 'The stored seed, registers\' snapshot and result, to recompute the draw elsewhere', auth: 'intake, handler, legal, supervisor, admin', params: uuidParam, responses: { 200: '{seed, inputs, result, inputsSha256, resultSha256}' }, errors: { 404: ['NOT_FOUND'] } }),
  route('get', '/api/random-draws/:id/export.xlsx', { summary: 'The draw\'s results as an xlsx list', auth: 'intake, handler, legal, supervisor, admin', params: uuidParam, responses: { 200: 'xlsx file' }, errors: { 404: ['NOT_FOUND'] } }),
  route('post', '/api/random-draws/:id/results/:resultId', {
    summary: 'Record a drawn employer\'s inspection result and the day it ended', auth: 'its two inspectors; legal, supervisor', params: resultParams, body: recordResultSchema,
    responses: { 200: 'The draw' }, errors: { 400: ['VALIDATION_FAILED'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['DRAW_PUBLISHED'] },
  }),
  route('post', '/api/random-draws/:id/publish', {
    summary: 'Publish the results as document random-inspection-results (within rule draw.publication after the last inspection ended)', auth: 'legal, supervisor', params: uuidParam,
    responses: { 201: 'The draw' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['DRAW_PUBLISHED', 'DRAW_RESULTS_PENDING'] },
  }),
];
