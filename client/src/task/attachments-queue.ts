// Attachments that work offline: the file is kept in IndexedDB (pendingUploads) and its metadata goes into
// the project's document at once (with the file's SHA-256), so everyone sees the attachment, marked
// "waiting for upload" until the body reaches the server. Uploads run one at a time, with progress, and are
// retried when the browser comes back online or the app starts. The server accepts the upload under the
// id already in the document (POST /api/tasks/{id}/attachments with field `id`).
import type * as Y from 'yjs';
import { addAttachment, type WriteContext } from '../../../shared/doc-model.ts';
import type { FieldboardDb, PendingUpload } from '../db/database.ts';

export type UploadResult = { status: number; body: unknown } | { status: 0; body: null };

/** Sends one upload; reports progress as a fraction. Status 0 = the request never got an answer. */
export type UploadTransport = (upload: PendingUpload, onProgress: (fraction: number) => void) => Promise<UploadResult>;

const MAX_NAME = 255;

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Keeps the file on the device and lists it on the task. Returns the attachment id. */
export async function queueAttachment(
  db: FieldboardDb,
  doc: Y.Doc,
  ctx: WriteContext & { userId: string },
  target: { projectId: string; taskId: string },
  file: File,
): Promise<string> {
  const id = crypto.randomUUID();
  const sha256 = await sha256Hex(file);
  const name = (file.name || 'photo.jpg').slice(0, MAX_NAME);
  const mime = file.type || 'application/octet-stream';
  await db.pendingUploads.put({ id, projectId: target.projectId, taskId: target.taskId, name, mime, size: file.size, sha256, blob: file, createdAt: Date.now(), error: null });
  try {
    addAttachment(doc, { id, task_id: target.taskId, name, size: file.size, mime, sha256, uploaded_by: ctx.userId }, ctx);
  } catch (error) {
    await db.pendingUploads.delete(id);
    throw error;
  }
  return id;
}

type ProgressListener = () => void;
const progress = new Map<string, number>();
const listeners = new Set<ProgressListener>();
const notify = () => listeners.forEach((l) => l());

export function uploadProgress(id: string): number | undefined {
  return progress.get(id);
}
export function subscribeUploadProgress(listener: ProgressListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let draining: Promise<void> | null = null;

/**
 * Uploads every pending file, oldest first. Stops at the first network failure (offline: the next
 * 'online' event or app start resumes); a refusal that a retry cannot fix (4xx other than 401/408/429) is
 * recorded on the row so the screen can say why, and the file is kept for the user to remove.
 */
export function drainUploads(db: FieldboardDb, send: UploadTransport): Promise<void> {
  draining ??= (async () => {
    try {
      const queue = (await db.pendingUploads.orderBy('createdAt').toArray()).filter((u) => u.error === null);
      for (const upload of queue) {
        progress.set(upload.id, 0);
        notify();
        const result = await send(upload, (fraction) => {
          progress.set(upload.id, fraction);
          notify();
        });
        progress.delete(upload.id);
        notify();
        if (result.status === 200 || result.status === 201) {
          await db.pendingUploads.delete(upload.id);
        } else if (result.status === 0 || result.status === 401 || result.status === 408 || result.status === 429 || result.status >= 500) {
          return; // try again later
        } else {
          await db.pendingUploads.update(upload.id, { error: errorText(result.body, result.status) });
        }
      }
    } finally {
      draining = null;
    }
  })();
  return draining;
}

function errorText(body: unknown, status: number): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === 'string' && message) return message;
  return status === 413 ? 'The file is too large.' : `Upload refused (${status}).`;
}

/** The browser transport: XMLHttpRequest, because fetch cannot report upload progress. */
export function xhrTransport(getToken: () => Promise<string | null>): UploadTransport {
  return async (upload, onProgress) => {
    const token = await getToken();
    if (!token) return { status: 0, body: null };
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/tasks/${encodeURIComponent(upload.taskId)}/attachments`);
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Idempotency-Key', `upload-${upload.id}`);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => resolve({ status: 0, body: null });
      xhr.ontimeout = () => resolve({ status: 0, body: null });
      const form = new FormData();
      form.append('id', upload.id); // before the file: the server reads fields in order
      form.append('file', upload.blob, upload.name);
      xhr.send(form);
    });
  };
}
