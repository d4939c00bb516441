import type * as Y from 'yjs';
import { readAttachments } from '../../../shared/doc-model.ts';
import { useDocValue } from '../sync/project-session.ts';
import type { MemberOption } from './task-details.tsx';

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** What the document says is attached (uploading belongs to the REST attachments feature). */
export function AttachmentsList({ doc, taskId, members }: { doc: Y.Doc; taskId: string; members: MemberOption[] }) {
  const attachments = useDocValue(doc, (d) => readAttachments(d, taskId), [taskId]);
  const names = new Map(members.map((m) => [m.id, m.name]));
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h3 id="attachments-title">Attachments {attachments.length > 0 && <span className="muted">({attachments.length})</span>}</h3>
      {attachments.length === 0 ? (
        <p className="muted">No attachments.</p>
      ) : (
        <ul className="attachment-list">
          {attachments.map((a) => (
            <li key={a.id}>
              <span className="attachment-name">{a.name}</span>{' '}
              <span className="muted">
                {formatBytes(a.size)} · {a.uploaded_by ? (names.get(a.uploaded_by) ?? 'Former member') : 'Unknown'} ·{' '}
                {new Date(a.created_at).toLocaleDateString()}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
