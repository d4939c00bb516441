// Attaching files and phone photos to a task, online or offline, and showing where each one stands:
// uploading (with progress), waiting for upload (the file is on someone's device), or there (thumbnail for
// images). See attachments-queue.ts for the offline queue.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { Attachment, WriteContext } from '../../../shared/doc-model.ts';
import { apiFetch } from '../api/http.ts';
import { useSession } from '../auth/session.ts';
import { currentDb, type PendingUpload } from '../db/database.ts';
import { useLiveQuery } from '../db/live-query.ts';
import { drainUploads, queueAttachment, subscribeUploadProgress, uploadProgress, xhrTransport } from './attachments-queue.ts';

const transport = xhrTransport(() => useSession.getState().getAccessToken());

/** Uploads what is waiting, now and whenever the browser comes back online. */
export function startUploadWorker(): () => void {
  const run = () => {
    const db = currentDb();
    if (db && navigator.onLine) void drainUploads(db, transport);
  };
  run();
  window.addEventListener('online', run);
  return () => window.removeEventListener('online', run);
}

export function AttachmentUploader({ doc, projectId, taskId, ctx }: { doc: Y.Doc; projectId: string; taskId: string; ctx: WriteContext & { userId: string } }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const cameraInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => startUploadWorker(), []);

  const onFiles = async (files: FileList | null) => {
    const db = currentDb();
    if (!files || !db) return;
    setError(null);
    try {
      for (const file of Array.from(files)) await queueAttachment(db, doc, ctx, { projectId, taskId }, file);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not attach the file');
    }
    if (navigator.onLine) void drainUploads(db, transport);
  };

  return (
    <div className="attachment-actions">
      <button type="button" onClick={() => fileInput.current?.click()}>Attach file</button>
      <button type="button" onClick={() => cameraInput.current?.click()}>Take photo</button>
      <input ref={fileInput} type="file" multiple hidden aria-label="Attach file" onChange={(e) => void onFiles(e.target.files).then(() => (e.target.value = ''))} />
      <input ref={cameraInput} type="file" accept="image/*" capture="environment" hidden aria-label="Take photo" onChange={(e) => void onFiles(e.target.files).then(() => (e.target.value = ''))} />
      {error && <p role="alert" className="form-error">{error}</p>}
    </div>
  );
}

/** This task's files still on this device. */
export function usePendingUploads(taskId: string): PendingUpload[] {
  const db = currentDb();
  const rows = useLiveQuery(db ? () => db.pendingUploads.where('taskId').equals(taskId).toArray() : null, [db, taskId]);
  return rows ?? [];
}

export function useUploadProgress(id: string): number | undefined {
  return useSyncExternalStore(subscribeUploadProgress, () => uploadProgress(id));
}

/** Which attachments the server has the file of (null while unknown, e.g. offline). */
export function useServerUploaded(taskId: string, attachments: Attachment[]): Map<string, boolean> | null {
  const [state, setState] = useState<Map<string, boolean> | null>(null);
  const key = attachments.map((a) => a.id).join(',');
  useEffect(() => {
    let live = true;
    if (!key || !navigator.onLine) return;
    apiFetch<{ id: string; uploaded: boolean }[]>(`/api/tasks/${taskId}/attachments`)
      .then((rows) => live && setState(new Map(rows.map((r) => [r.id, r.uploaded]))))
      .catch(() => live && setState(null));
    return () => {
      live = false;
    };
  }, [taskId, key]);
  return state;
}

/** A thumbnail for images: the local file while it waits, the server's copy (fetched with the token) after. */
export function AttachmentThumb({ attachment, local, uploaded }: { attachment: Attachment; local?: Blob; uploaded: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(attachment.mime);
  useEffect(() => {
    if (!isImage) return;
    let objectUrl: string | null = null;
    let live = true;
    const show = (blob: Blob) => {
      if (!live) return;
      objectUrl = URL.createObjectURL(blob);
      setUrl(objectUrl);
    };
    if (local) show(local);
    else if (uploaded) {
      void useSession
        .getState()
        .getAccessToken()
        .then((token) => (token ? fetch(`/api/attachments/${attachment.id}`, { headers: { Authorization: `Bearer ${token}` } }) : null))
        .then((res) => (res?.ok ? res.blob() : null))
        .then((blob) => blob && show(blob))
        .catch(() => {});
    }
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [attachment.id, isImage, local, uploaded]);
  if (!isImage || !url) return null;
  return <img className="attachment-thumb" src={url} alt="" width={48} height={48} loading="lazy" />;
}

/** "Uploading 40 %", "Waiting for upload", or the refusal, for one attachment. */
export function UploadState({ attachment, pending, uploaded }: { attachment: Attachment; pending?: PendingUpload; uploaded: boolean | undefined }) {
  const fraction = useUploadProgress(attachment.id);
  if (pending?.error) return <span className="form-error">Upload failed: {pending.error}</span>;
  if (fraction !== undefined) {
    return (
      <span>
        Uploading <progress max={1} value={fraction} aria-label={`Uploading ${attachment.name}`} /> {Math.round(fraction * 100)} %
      </span>
    );
  }
  if (pending || uploaded === false) return <span className="muted">Waiting for upload</span>;
  return null;
}
