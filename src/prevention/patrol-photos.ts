/**
 * Photos taken on a patrol (日常巡查), kept as files with the patrol. Only JPEG and PNG are taken, told
 * by their first bytes rather than the name, since the files are served back from the product's own
 * origin; the limits keep one patrol's photos within what a database row set comfortably holds.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { errors } from '../errors';
import { isMysqlManager } from '../documents/numbering';

/** Largest photo taken, in bytes (5 MiB: a phone photo at full size). */
export const PATROL_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Most photos one patrol keeps. */
export const PATROL_PHOTO_MAX_COUNT = 20;
/** The request body that carries the largest photo as base64 in JSON, in KiB, with room for the name. */
export const PATROL_PHOTO_BODY_KB = Math.ceil((Math.ceil(PATROL_PHOTO_MAX_BYTES / 3) * 4) / 1024) + 4;

export const photoBody = z.strictObject({
  fileName: z.string().trim().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name without folders'),
  contentBase64: z.string().min(1).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
});
export type PhotoInput = z.infer<typeof photoBody>;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The photo's type by its first bytes, or null when it is neither JPEG nor PNG. */
export function photoTypeOf(b: Buffer): 'image/jpeg' | 'image/png' | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

export interface PatrolPhoto {
  id: string;
  patrolId: string;
  fileName: string;
  contentType: string;
  bytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: number;
}

type Row = Record<string, unknown>;
const COLUMNS = 'id, patrol_id, file_name, content_type, bytes, sha256, uploaded_by, uploaded_at';
const toPhoto = (r: Row): PatrolPhoto => ({
  id: String(r.id), patrolId: String(r.patrol_id), fileName: String(r.file_name), contentType: String(r.content_type),
  bytes: Number(r.bytes), sha256: String(r.sha256), uploadedBy: String(r.uploaded_by), uploadedAt: Number(r.uploaded_at),
});

/**
 * Checks and stores a photo of the patrol in the caller's transaction. The patrol's row is locked
 * first so two uploads at once cannot both pass the count.
 */
export async function addPatrolPhoto(em: EntityManager, patrol: { id: string; officeId: string }, input: PhotoInput, actor: Actor, now: Date): Promise<PatrolPhoto> {
  const content = Buffer.from(input.contentBase64, 'base64');
  if (content.length > PATROL_PHOTO_MAX_BYTES) {
    throw errors.badRequest('PHOTO_TOO_LARGE', `A photo may hold at most ${PATROL_PHOTO_MAX_BYTES / 1024 / 1024} MiB.`, [{ path: 'body.contentBase64', message: 'too large' }]);
  }
  const type = photoTypeOf(content);
  if (!type) throw errors.badRequest('PHOTO_TYPE_REFUSED', 'A patrol photo must be a JPEG or PNG image.', [{ path: 'body.contentBase64', message: 'not a JPEG or PNG image' }]);
  await em.query(`SELECT id FROM patrols WHERE id = ?${isMysqlManager(em) ? ' FOR UPDATE' : ''}`, [patrol.id]);
  const [{ n }] = (await em.query('SELECT COUNT(*) AS n FROM patrol_photos WHERE patrol_id = ?', [patrol.id])) as { n: unknown }[];
  if (Number(n) >= PATROL_PHOTO_MAX_COUNT) throw errors.conflict('PHOTO_LIMIT_REACHED', `A patrol keeps at most ${PATROL_PHOTO_MAX_COUNT} photos.`);
  const photo: PatrolPhoto = {
    id: crypto.randomUUID(), patrolId: patrol.id, fileName: input.fileName, contentType: type, bytes: content.length,
    sha256: crypto.createHash('sha256').update(content).digest('hex'), uploadedBy: actor.name, uploadedAt: now.getTime(),
  };
  await em.query(
    'INSERT INTO patrol_photos (id, patrol_id, office_id, file_name, content_type, bytes, sha256, content, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [photo.id, patrol.id, patrol.officeId, photo.fileName, type, photo.bytes, photo.sha256, content.toString('base64'), photo.uploadedBy, photo.uploadedAt]);
  // The audit names the file and its size, never its content.
  await recordAudit(em, actor, now, { action: 'patrol.photo.add', entityType: 'patrol', entityId: patrol.id, after: { photoId: photo.id, fileName: photo.fileName, bytes: photo.bytes } });
  return photo;
}

export async function listPatrolPhotos(em: EntityManager, patrolId: string): Promise<PatrolPhoto[]> {
  const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM patrol_photos WHERE patrol_id = ? ORDER BY uploaded_at, id`, [patrolId]);
  return rows.map(toPhoto);
}

/** One photo with its bytes, or null. */
export async function findPatrolPhoto(em: EntityManager, photoId: string): Promise<(PatrolPhoto & { content: Buffer }) | null> {
  const rows: Row[] = await em.query(`SELECT ${COLUMNS}, content FROM patrol_photos WHERE id = ?`, [photoId]);
  return rows[0] ? { ...toPhoto(rows[0]), content: Buffer.from(String(rows[0].content), 'base64') } : null;
}
