// Threaded comments: write, reply, edit and delete your own (moderators may delete any). A deleted
// comment that still has replies stays as a "deleted comment" placeholder so the thread keeps its shape.
import { useId, useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { addComment, deleteComment, editComment, readCommentTree, type CommentNode } from '../../../shared/doc-model.ts';
import { can, type Role } from '../../../shared/roles.ts';
import { Avatar } from '../components/avatar.tsx';
import { useDocValue } from '../sync/project-session.ts';
import type { MemberOption } from './task-details.tsx';
import type { Write } from './task-fields.tsx';

interface CommentThreadProps {
  doc: Y.Doc;
  taskId: string;
  write: Write;
  readOnly: boolean;
  selfId: string;
  role: Role | null;
  members: MemberOption[];
}

export function CommentThread(props: CommentThreadProps) {
  const { doc, taskId, write, readOnly, selfId } = props;
  const tree = useDocValue(doc, (d) => readCommentTree(d, taskId), [taskId]);
  const names = new Map(props.members.map((m) => [m.id, m.name]));
  const count = countLive(tree);
  return (
    <section className="comments" aria-labelledby="comments-title">
      <h3 id="comments-title">
        Comments {count > 0 && <span className="muted">({count})</span>}
      </h3>
      {!readOnly && (
        <CommentForm
          label="Write a comment"
          submitLabel="Comment"
          onSubmit={(content) => write((ctx) => addComment(doc, { task_id: taskId, content, author_id: selfId }, ctx))}
        />
      )}
      {tree.length === 0 ? (
        <p className="muted">No comments yet.</p>
      ) : (
        <ol className="comment-list">
          {tree.map((node) => (
            <CommentItem key={node.id} node={node} names={names} {...props} />
          ))}
        </ol>
      )}
    </section>
  );
}

function countLive(nodes: CommentNode[]): number {
  return nodes.reduce((sum, n) => sum + (n.deleted_at ? 0 : 1) + countLive(n.replies), 0);
}

function CommentItem({ node, names, ...props }: CommentThreadProps & { node: CommentNode; names: Map<string, string> }) {
  const { doc, taskId, write, readOnly, selfId, role } = props;
  const [mode, setMode] = useState<'view' | 'edit' | 'reply'>('view');
  const mine = node.author_id === selfId;
  const author = node.author_id ? (names.get(node.author_id) ?? 'Former member') : 'Unknown';
  const deleted = node.deleted_at !== null;
  return (
    <li className="comment">
      {deleted ? (
        <p className="comment-deleted muted">Deleted comment</p>
      ) : (
        <article aria-label={`Comment by ${author}`}>
          <header className="comment-header">
            {node.author_id && <Avatar id={node.author_id} name={author} size="sm" />}
            <strong>{author}</strong>
            <time className="muted" dateTime={node.created_at}>
              {new Date(node.created_at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}
            </time>
            {node.edited_at && <span className="muted">(edited)</span>}
          </header>
          {mode === 'edit' ? (
            <CommentForm
              label="Edit comment"
              submitLabel="Save"
              initial={node.content}
              onCancel={() => setMode('view')}
              onSubmit={(content) => {
                write((ctx) => editComment(doc, node.id, content, ctx));
                setMode('view');
              }}
            />
          ) : (
            <p className="comment-body">{node.content}</p>
          )}
          {!readOnly && mode === 'view' && (
            <div className="comment-actions">
              <button type="button" className="link-button" onClick={() => setMode('reply')}>
                Reply
              </button>
              {mine && (
                <button type="button" className="link-button" onClick={() => setMode('edit')}>
                  Edit
                </button>
              )}
              {(mine || can(role, 'comments.moderate')) && (
                <button type="button" className="link-button" onClick={() => write((ctx) => deleteComment(doc, node.id, ctx))}>
                  Delete
                </button>
              )}
            </div>
          )}
        </article>
      )}
      {mode === 'reply' && (
        <CommentForm
          label={`Reply to ${author}`}
          submitLabel="Reply"
          autoFocus
          onCancel={() => setMode('view')}
          onSubmit={(content) => {
            write((ctx) => addComment(doc, { task_id: taskId, parent_id: node.id, content, author_id: selfId }, ctx));
            setMode('view');
          }}
        />
      )}
      {node.replies.length > 0 && (
        <ol className="comment-list replies">
          {node.replies.map((reply) => (
            <CommentItem key={reply.id} node={reply} names={names} {...props} />
          ))}
        </ol>
      )}
    </li>
  );
}

interface CommentFormProps {
  label: string;
  submitLabel: string;
  initial?: string;
  autoFocus?: boolean;
  onSubmit: (content: string) => void;
  onCancel?: () => void;
}

function CommentForm({ label, submitLabel, initial = '', autoFocus, onSubmit, onCancel }: CommentFormProps) {
  const [content, setContent] = useState(initial);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = content.trim();
    if (!trimmed) return;
    onSubmit(trimmed);
    setContent('');
  };
  return (
    <form className="comment-form" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        rows={2}
        placeholder={label}
        value={content}
        maxLength={20_000}
        autoFocus={autoFocus}
        onChange={(e) => setContent(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
          if (e.key === 'Escape' && onCancel) {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <div className="form-actions">
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={!content.trim()}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
