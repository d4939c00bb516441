// /api/tasks/{id}/attachments (upload, list) and /api/attachments/{id} (download, delete).
// Bodies go to the content-addressed BlobStore; metadata goes into the project's document (so clients see
// the attachment live) and reaches the attachments projection with the same commit.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { addAttachment, removeAttachment } from '../../../shared/doc-model.ts';
import { AttachmentSchema, type AttachmentDto } from '../../../shared/schemas/tasks.ts';
import { isUuid } from '../auth/authenticate.ts';
import type { Sql } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { newRouter } from '../http/router.ts';
import { bearer, envelope, errors, json, ProjectIdParams } from '../projects/route-schemas.ts';
import { boardAuth, boardCreate, requireEntityAccess, writeDoc } from '../tasks/board-access.ts';
import type { BlobStore } from './blob-store.ts';
import { contentDisposition, downloadType } from './filename.ts';
import { PgBlobStore } from './pg-blob-store.ts';
import { receiveUpload } from './receive-upload.ts';

const tags = ['Attachments'];
/** Room for the multipart envelope around the file when judging Content-Length up front. */
const MULTIPART_OVERHEAD = 64 * 1024;

const uploadRoute = createRoute({
  method: 'post',
  path: '/tasks/{id}/attachments',
  tags,
  summary: 'Upload a file to a task (multipart/form-data, field "file"; optional field "id" before it: a client-chosen attachment id)',
  security: bearer,
  request: {
    params: ProjectIdParams,
    // A plain schema (not zod) on purpose: a zod form schema would make the framework buffer and parse the
    // whole body before our streaming size check.
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, file: { type: 'string', format: 'binary' } }, required: ['file'] },
        },
      },
    },
  },
  responses: {
    201: json(envelope(AttachmentSchema), 'The stored attachment'),
    200: json(envelope(AttachmentSchema), 'This attachment id already had this file (a retried upload)'),
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    409: errors[409],
    413: { description: 'The file is larger than MAX_UPLOAD_BYTES (refused while streaming)' },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/tasks/{id}/attachments',
  tags,
  summary: "A task's attachments",
  security: bearer,
  request: { params: ProjectIdParams },
  responses: { 200: json(envelope(z.array(AttachmentSchema)), 'The attachments, oldest first'), 401: errors[401], 404: errors[404] },
});

const downloadRoute = createRoute({
  method: 'get',
  path: '/attachments/{id}',
  tags,
  summary: 'Download (members only; always as an attachment; only images, PDF and plain text keep their type)',
  security: bearer,
  request: { params: ProjectIdParams },
  responses: {
    200: { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
    401: errors[401],
    404: { description: 'No such attachment, not a member, deleted, or the file is still waiting for upload' },
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/attachments/{id}',
  tags,
  summary: 'Remove an attachment from its task',
  security: bearer,
  request: { params: ProjectIdParams },
  responses: { 200: json(envelope(AttachmentSchema), 'The removed attachment'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

interface AttachmentRow {
  id: string;
  project_id: string;
  task_id: string;
  name: string;
  size: string | number;
  mime: string;
  sha256: string | null;
  uploaded_by: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

const toDto = (r: AttachmentRow, uploaded: boolean): AttachmentDto => ({
  id: r.id,
  project_id: r.project_id,
  task_id: r.task_id,
  name: r.name,
  size: Number(r.size),
  mime: r.mime,
  sha256: r.sha256,
  uploaded_by: r.uploaded_by,
  created_at: r.created_at.toISOString(),
  deleted_at: r.deleted_at ? r.deleted_at.toISOString() : null,
  url: `/api/attachments/${r.id}`,
  uploaded,
});

const withUpload = async (store: BlobStore, r: AttachmentRow) => toDto(r, r.sha256 !== null && (await store.has(r.sha256)));

async function getAttachment(sql: Sql, store: BlobStore, id: string): Promise<AttachmentDto | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<AttachmentRow[]>`SELECT * FROM attachments WHERE id = ${id}`;
  return row ? withUpload(store, row) : null;
}

/** The request body as a Node stream: the raw request under @hono/node-server, the fetch body otherwise. */
function bodyStream(c: Context<AppEnv>): Readable {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded) return incoming;
  const body = c.req.raw.body;
  if (!body) throw new ApiError('VALIDATION_ERROR', 'No file: send it in a multipart field named "file"');
  return Readable.fromWeb(body as NodeWebStream<Uint8Array>);
}

/** Mounted at /api. `store` defaults to PostgreSQL (attachment_blobs). */
export function attachmentRoutes(deps: AppDeps, store: BlobStore = new PgBlobStore(deps.sql)) {
  const { sql, config } = deps;
  const router = newRouter();
  const auth = boardAuth(deps);

  const found = async (id: string) => {
    const row = await getAttachment(sql, store, id);
    if (!row) throw new Error(`attachment ${id} has no projection row after a committed write`);
    return row;
  };

  router.openapi({ ...uploadRoute, middleware: boardCreate(deps) }, async (c) => {
    const { id: taskId } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId, deleted } = await requireEntityAccess(sql, 'tasks', taskId, userId, 'board.write', 'Task');
    if (deleted) throw new ApiError('CONFLICT', 'The task is deleted; restore it before attaching files');
    const contentType = c.req.header('content-type') ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      throw new ApiError('VALIDATION_ERROR', 'Send the file as multipart/form-data in a field named "file"');
    }
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > config.maxUploadBytes + MULTIPART_OVERHEAD) {
      throw new ApiError('PAYLOAD_TOO_LARGE', `The file is larger than the upload limit of ${config.maxUploadBytes} bytes`, { max_bytes: config.maxUploadBytes });
    }

    const file = await receiveUpload(bodyStream(c), contentType, { store, maxBytes: config.maxUploadBytes });
    const requestedId = file.fields.id?.trim().toLowerCase();
    if (requestedId !== undefined && !isUuid(requestedId)) {
      throw new ApiError('VALIDATION_ERROR', 'id must be a UUID', [{ field: 'id', message: 'must be a UUID', code: 'invalid_format' }]);
    }
    if (requestedId) {
      const existing = await getAttachment(sql, store, requestedId);
      if (existing) {
        // An offline client put the metadata in the document first and uploads the body now (or retries).
        if (existing.task_id === taskId && existing.sha256 === file.sha256 && !existing.deleted_at) {
          return c.json({ success: true as const, data: existing }, 200);
        }
        throw new ApiError('CONFLICT', 'An attachment with this id already exists with other content');
      }
    }
    const attachmentId = requestedId ?? randomUUID();
    await writeDoc(deps, projectId, userId, (doc) =>
      addAttachment(
        doc,
        { id: attachmentId, task_id: taskId, name: file.name, size: file.size, mime: file.mime, sha256: file.sha256, uploaded_by: userId },
        { userId },
      ),
    );
    return c.json({ success: true as const, data: await found(attachmentId) }, 201);
  });

  router.openapi({ ...listRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    await requireEntityAccess(sql, 'tasks', id, c.var.user.id, 'project.read', 'Task');
    const rows = await sql<AttachmentRow[]>`
      SELECT * FROM attachments WHERE task_id = ${id} AND deleted_at IS NULL ORDER BY created_at, id`;
    return c.json({ success: true as const, data: await Promise.all(rows.map((r) => withUpload(store, r))) }, 200);
  });

  router.openapi({ ...downloadRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    await requireEntityAccess(sql, 'attachments', id, c.var.user.id, 'project.read', 'Attachment');
    const meta = await found(id);
    if (meta.deleted_at) throw new ApiError('NOT_FOUND', 'Attachment not found');
    const body = meta.sha256 ? await store.get(meta.sha256) : null;
    if (!body) throw new ApiError('NOT_FOUND', 'The file of this attachment is still waiting for upload');
    // c.body, not a bare Response: headers set before the handler (X-Request-Id) must reach the download too.
    return c.body(Readable.toWeb(body) as ReadableStream, 200, {
      'Content-Type': downloadType(meta.mime),
      'Content-Disposition': contentDisposition(meta.name),
      'Content-Length': String(meta.size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-cache',
    });
  });

  router.openapi({ ...deleteRoute, middleware: [auth] }, async (c) => {
    const { id } = c.req.valid('param');
    const userId = c.var.user.id;
    const { projectId } = await requireEntityAccess(sql, 'attachments', id, userId, 'board.write', 'Attachment');
    const meta = await found(id);
    if (meta.deleted_at) throw new ApiError('NOT_FOUND', 'Attachment not found');
    await writeDoc(deps, projectId, userId, (doc) => removeAttachment(doc, id, { userId }));
    return c.json({ success: true as const, data: await found(id) }, 200);
  });

  return router;
}
