import type * as Y from 'yjs';
import { readAttachments, type WriteContext } from '../../../shared/doc-model.ts';
import { useDocValue } from '../sync/project-session.ts';
import { AttachmentThumb, AttachmentUploader, UploadState, usePendingUploads, useServerUploaded } from './attachments-upload.tsx';
import type { MemberOption } from './task-details.tsx';

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** What the document says is attached, with upload state; editors can attach files and photos (offline too). */
export function AttachmentsList({
  doc,
  taskId,
  members,
  upload,
}: {
  doc: Y.Doc;
  taskId: string;
  members: MemberOption[];
  /** Present when the user may attach files. */
  upload?: { projectId: string; ctx: WriteContext & { userId: string } };
}) {
  const attachments = useDocValue(doc, (d) => readAttachments(d, taskId), [taskId]);
  const names = new Map(members.map((m) => [m.id, m.name]));
  const pending = new Map(usePendingUploads(taskId).map((p) => [p.id, p]));
  const uploaded = useServerUploaded(taskId, attachments);
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h3 id="attachments-title">Attachments {attachments.length > 0 && <span className="muted">({attachments.length})</span>}</h3>
      {attachments.length === 0 ? (
        <p className="muted">No attachments.</p>
      ) : (
        <ul className="attachment-list">
          {attachments.map((a) => (
            <li key={a.id}>
              <AttachmentThumb attachment={a} local={pending.get(a.id)?.blob} uploaded={uploaded?.get(a.id) ?? !pending.has(a.id)} />{' '}
              <span className="attachment-name">{a.name}</span>{' '}
              <span className="muted">
                {formatBytes(a.size)} · {a.uploaded_by ? (names.get(a.uploaded_by) ?? 'Former member') : 'Unknown'} ·{' '}
                {new Date(a.created_at).toLocaleDateString()}
              </span>{' '}
              <UploadState attachment={a} pending={pending.get(a.id)} uploaded={uploaded?.get(a.id)} />
            </li>
          ))}
        </ul>
      )}
      {upload && <AttachmentUploader doc={doc} projectId={upload.projectId} taskId={taskId} ctx={upload.ctx} />}
    </section>
  );
}
