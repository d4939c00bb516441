// Attachment metadata writers. The file bodies live in the server's blob store, keyed by sha256.
import * as Y from 'yjs';
import { attachmentsMap, write } from './layout.ts';
import { requireTask } from './tasks.ts';
import { ATTACHMENT_NAME_MAX, DocModelError, type AttachmentInput, type WriteContext } from './types.ts';
import * as v from './validate.ts';

export function addAttachment(doc: Y.Doc, meta: AttachmentInput, ctx?: WriteContext): string {
  return write(doc, ctx, (w) => {
    if (typeof meta !== 'object' || meta === null) v.invalid('attachment must be an object');
    const id = v.uuid('id', meta.id).toLowerCase();
    if (attachmentsMap(doc).has(id)) v.invalid(`an attachment with id ${id} already exists`);
    const task = requireTask(doc, meta.task_id);
    const name = v.text('name', meta.name, ATTACHMENT_NAME_MAX);
    if (!Number.isSafeInteger(meta.size) || meta.size < 0) v.invalid('size must be a non-negative integer');
    const mime = v.text('mime', meta.mime, 255);
    const sha256 = v.optionalSha256(meta.sha256);
    const uploadedBy = v.optionalUuid('uploaded_by', meta.uploaded_by);
    const createdAt = meta.created_at === undefined ? w.now : v.timestamp('created_at', meta.created_at);
    const map = new Y.Map<unknown>();
    attachmentsMap(doc).set(id, map);
    map.set('task_id', task.id);
    map.set('name', name);
    map.set('size', meta.size);
    map.set('mime', mime);
    map.set('sha256', sha256);
    map.set('uploaded_by', uploadedBy);
    map.set('created_at', createdAt);
    map.set('deleted_at', null);
    return id;
  });
}

/** Soft delete: the row stays (deleted_at set) so the blob's last reference can be found and collected later. */
export function removeAttachment(doc: Y.Doc, id: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const attachmentId = v.uuid('attachment id', id);
    const value = attachmentsMap(doc).get(attachmentId);
    if (value === undefined) throw new DocModelError('NOT_FOUND', `attachment ${attachmentId} not found`);
    if (!(value instanceof Y.Map)) v.invalid(`attachment ${attachmentId} is malformed in the document`);
    if (typeof value.get('deleted_at') === 'string') return;
    value.set('deleted_at', w.now);
  });
}
