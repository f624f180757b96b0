/**
 * The annual written review (书面审查): opening the year's review with its scope, the reviews and their
 * progress per grid, the employers of a review, one employer's review with its documents, a submission
 * entered at the window, and a spreadsheet of submissions imported (dry run, then confirmed).
 */
import Router from '@koa/router';
import { z } from 'zod';
import { inTransaction } from '../../db/data-source';
import {
  listQuery, listReviewEmployers, listReviews, openReview, openReviewSchema, recordSubmission, reviewEmployerView, reviewProgress, reviewView, submissionSchema,
  visibleReview, visibleReviewEmployer,
} from '../../credit/written-review';
import { importSubmissions, reviewImportSchema } from '../../credit/written-review-import';
import { authorize } from '../../auth/policy';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

export function writtenReviewRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/written-reviews' });
  router.use(requireLogin);
  const now = () => deps.clock.now().getTime();

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    ctx.body = { items: await listReviews(deps.ds.manager, principal) };
  });

  router.post('/', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(openReviewSchema, ctx.request.body, 'body');
    const { review, enrolling } = await openReview({ ds: deps.ds, engine: deps.engine, rules: deps.rules, now, batchSize: deps.settings.WRITTEN_REVIEW_OPEN_BATCH }, principal, actor, input);
    // A large scope is still being enrolled: 202, and the review shows how far it has come.
    enrolling?.catch((e) => deps.logger.warn({ reviewId: review.id, err: e instanceof Error ? e.message : String(e) }, 'written review opening stopped; it resumes at the next start'));
    ctx.status = enrolling ? 202 : 201;
    ctx.body = reviewView(review);
  });

  router.get('/employers/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await reviewEmployerView(deps.ds.manager, await visibleReviewEmployer(deps.ds.manager, principal, id));
  });

  router.post('/employers/:id/submission', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(submissionSchema, ctx.request.body, 'body');
    const row = await visibleReviewEmployer(deps.ds.manager, principal, id);
    authorize(principal, 'writtenReview.record', { officeId: row.office_id, gridId: row.grid_id });
    await inTransaction(deps.ds, (em) => recordSubmission(em, deps.engine, actor, row, input, 'window', now()));
    ctx.status = 201;
    ctx.body = await reviewEmployerView(deps.ds.manager, await visibleReviewEmployer(deps.ds.manager, principal, id));
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const review = await visibleReview(deps.ds.manager, principal, id);
    ctx.body = { ...reviewView(review), progress: await reviewProgress(deps.ds.manager, principal, review.id) };
  });

  router.get('/:id/employers', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const q = parseInput(listQuery, ctx.query, 'query');
    const review = await visibleReview(deps.ds.manager, principal, id);
    ctx.body = await listReviewEmployers(deps.ds.manager, principal, review.id, q);
  });

  router.post('/:id/import', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(reviewImportSchema, ctx.request.body, 'body');
    const review = await visibleReview(deps.ds.manager, principal, id);
    ctx.body = await importSubmissions(deps.ds, deps.engine, principal, actor, review, input, deps.settings.EMPLOYER_IMPORT_MAX_ROWS, now);
  });

  return router;
}

const idParam = z.strictObject({ id: z.string().uuid() });

export const writtenReviewRouteDocs: RouteDoc[] = [
  route('get', '/api/written-reviews', {
    summary: "The office's annual written reviews (书面审查), newest year first", auth: 'intake, handler, grid officer, legal, supervisor, admin',
    responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/written-reviews', {
    summary: "Open the year's written review with its scope (grids, sizes, industries): one lifecycle written-review per employer, enrolled in batches (WRITTEN_REVIEW_OPEN_BATCH per transaction)",
    description: 'Each employer gets its notice (书面审查通知书) with the submission deadline from the legal rules; the on-site verification sample (writtenReview.sampleRate) is drawn once the scope is enrolled.',
    auth: 'legal, supervisor', body: openReviewSchema, responses: { 201: 'The review, every employer enrolled', 202: 'The review, still opening: a scope of more than ten batches is enrolled after the answer' },
    errors: { 403: ['FORBIDDEN'], 409: ['WRITTEN_REVIEW_EXISTS'], 422: ['WRITTEN_REVIEW_EMPTY_SCOPE'] },
  }),
  route('get', '/api/written-reviews/employers/:id', {
    summary: "One employer's place in a review: submission, review, verification, result and documents", auth: "whoever sees the employer's grid",
    params: idParam, responses: { 200: 'The review employer' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/written-reviews/employers/:id/submission', {
    summary: "Enter an employer's submission at the window (headcount, contracts, wages and pay day, hours system, social insurance, migrant workers' wages); its lifecycle goes on to the review",
    auth: "intake, the grid's handlers and grid officers, legal, supervisor, admin", params: idParam, body: submissionSchema, responses: { 201: 'The review employer' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['WRITTEN_REVIEW_NOT_AWAITING'] },
  }),
  route('get', '/api/written-reviews/:id', {
    summary: 'A review with its progress per grid (in scope, notified, submitted, reviewed, verified, non-submitters, results), limited to the grids the caller sees',
    auth: 'intake, handler, grid officer, legal, supervisor, admin', params: idParam, responses: { 200: 'The review with progress' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/written-reviews/:id/employers', {
    summary: "A review's employers the caller sees, by grid, state or result", auth: 'intake, handler, grid officer, legal, supervisor, admin',
    params: idParam, query: listQuery, responses: { 200: '{items, total}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/written-reviews/:id/import', {
    summary: 'Import submissions from a spreadsheet (xlsx or csv, base64): without confirm a dry run reporting every row it would refuse and why; with confirm: true the accepted rows are recorded',
    auth: 'intake, legal, supervisor, admin', params: idParam, body: reviewImportSchema, responses: { 200: '{fileName, confirmed, rows, counts, refused, accepted}' },
    errors: { 400: ['IMPORT_UNREADABLE', 'IMPORT_COLUMNS', 'IMPORT_TOO_MANY_ROWS', 'IMPORT_EMPTY'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
];
