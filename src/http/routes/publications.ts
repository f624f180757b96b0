/**
 * Publication of major violations (人社部令第29号): the quarter's qualifying closed cases proposed,
 * confirmed by legal staff and issued as a list document, exported as xlsx.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { inTransaction } from '../../db/data-source';
import { confirmPublication, confirmPublicationSchema, listPublications, proposePublication, proposePublicationSchema, publicationView } from '../../credit/publications';
import { publicationXlsx } from '../../credit/publication-export';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const noQuery = z.strictObject({});

export function publicationRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.use('/api/publications', requireLogin);
  const now = () => deps.clock.now().getTime();

  router.get('/api/publications', async (ctx) => {
    parseInput(noQuery, ctx.query, 'query');
    ctx.body = { items: await listPublications(deps.ds.manager, principalOf(ctx).principal) };
  });
  router.post('/api/publications', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(proposePublicationSchema, ctx.request.body, 'body');
    const id = await inTransaction(deps.ds, (em) => proposePublication(em, deps.rules, principal, actor, input, now()));
    ctx.status = 201;
    ctx.body = await publicationView(deps.ds.manager, principal, id);
  });
  router.get('/api/publications/:id', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await publicationView(deps.ds.manager, principalOf(ctx).principal, id);
  });
  router.post('/api/publications/:id/confirm', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(confirmPublicationSchema, ctx.request.body ?? {}, 'body');
    await inTransaction(deps.ds, (em) => confirmPublication(em, principal, actor, id, input, now()));
    ctx.body = await publicationView(deps.ds.manager, principal, id);
  });
  router.get('/api/publications/:id/export.xlsx', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const view = await publicationView(deps.ds.manager, principalOf(ctx).principal, id);
    ctx.set('Content-Type', XLSX);
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`重大劳动保障违法行为社会公布${view.period}.xlsx`)}`);
    ctx.body = await publicationXlsx(view);
  });
  return router;
}

export const publicationRouteDocs: RouteDoc[] = [
  route('get', '/api/publications', { summary: 'Quarterly publications of major violations (人社部令第29号), newest first', auth: 'intake, handler, legal, supervisor, admin', query: noQuery, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('post', '/api/publications', {
    summary: 'Propose the quarter\'s publication list from the closed cases that meet the 令29号 第5条 criteria (rule publication.arrearsAmount)', auth: 'legal, supervisor',
    body: proposePublicationSchema, responses: { 201: 'The publication' },
    errors: { 400: ['VALIDATION_FAILED'], 403: ['FORBIDDEN'], 409: ['PUBLICATION_EXISTS'], 422: ['PUBLICATION_PERIOD_NOT_STARTED', 'PUBLICATION_NOTHING_QUALIFIES'] },
  }),
  route('get', '/api/publications/:id', { summary: 'A publication with its entries', auth: 'intake, handler, legal, supervisor, admin', params: uuidParam, responses: { 200: 'The publication' }, errors: { 404: ['NOT_FOUND'] } }),
  route('post', '/api/publications/:id/confirm', {
    summary: 'Legal staff confirm the list (entries may be left out); issues document major-violations-publication and keeps each entry in the employer\'s credit file',
    auth: 'legal, supervisor', params: uuidParam, body: confirmPublicationSchema, responses: { 200: 'The publication' },
    errors: { 400: ['VALIDATION_FAILED'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['PUBLICATION_CONFIRMED'], 422: ['PUBLICATION_EMPTY'] },
  }),
  route('get', '/api/publications/:id/export.xlsx', { summary: 'The published list as xlsx', auth: 'intake, handler, legal, supervisor, admin', params: uuidParam, responses: { 200: 'xlsx file' }, errors: { 404: ['NOT_FOUND'] } }),
];
