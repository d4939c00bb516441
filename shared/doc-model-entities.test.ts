import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addAttachment,
  addChecklistItem,
  addComment,
  createTag,
  createTask,
  deleteComment,
  deleteTag,
  DocModelError,
  editChecklistItem,
  editComment,
  moveChecklistItem,
  readAttachments,
  readCommentTree,
  readTags,
  readTask,
  recolorTag,
  removeAttachment,
  removeChecklistItem,
  renameTag,
  restoreComment,
  setTaskTags,
  toggleChecklistItem,
  type CommentNode,
} from './doc-model.ts';
import { replicas, syncAll, testCtx } from './test/helpers.ts';

const AUTHOR = '11111111-1111-4111-8111-111111111111';
const shape = (nodes: CommentNode[]): unknown[] => nodes.map((n) => [n.content || `(deleted ${n.deleted_at !== null})`, shape(n.replies)]);

function code(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof DocModelError ? e.code : `other: ${String(e)}`;
  }
}

describe('comments', () => {
  it('[DM7] threads: replies nest, siblings in (created_at, id) order, edits stamp edited_at', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    const task = createTask(doc, { title: 't' }, ctx);
    const root = addComment(doc, { task_id: task, content: 'root', author_id: AUTHOR }, ctx);
    addComment(doc, { task_id: task, parent_id: root, content: 'r1', author_id: null }, ctx);
    const r2 = addComment(doc, { task_id: task, parent_id: root, content: 'r2', author_id: null }, ctx);
    addComment(doc, { task_id: task, content: 'second root', author_id: null }, ctx);
    editComment(doc, r2, 'r2 edited', ctx);
    const tree = readCommentTree(doc, task);
    expect(shape(tree)).toEqual([['root', [['r1', []], ['r2 edited', []]]], ['second root', []]]);
    expect(tree[0].replies[1].edited_at).toBe(ctx.tick());
    expect(tree[0].author_id).toBe(AUTHOR);
  });

  it('[DM7] a deleted comment with live replies stays as a placeholder, without them it disappears', () => {
    const doc = new Y.Doc();
    const task = createTask(doc, { title: 't' });
    const root = addComment(doc, { task_id: task, content: 'root', author_id: null });
    const reply = addComment(doc, { task_id: task, parent_id: root, content: 'reply', author_id: null });
    const lonely = addComment(doc, { task_id: task, content: 'lonely', author_id: null });
    deleteComment(doc, root);
    deleteComment(doc, lonely);
    expect(shape(readCommentTree(doc, task))).toEqual([['(deleted true)', [['reply', []]]]]);
    deleteComment(doc, reply);
    expect(readCommentTree(doc, task)).toEqual([]);
  });

  it('[DM7] restoreComment brings a deleted comment back with its content, and is idempotent', () => {
    const doc = new Y.Doc();
    const task = createTask(doc, { title: 't' });
    const root = addComment(doc, { task_id: task, content: 'root', author_id: null });
    deleteComment(doc, root);
    expect(readCommentTree(doc, task)).toEqual([]);
    restoreComment(doc, root);
    restoreComment(doc, root);
    expect(shape(readCommentTree(doc, task))).toEqual([['root', []]]);
    expect(readCommentTree(doc, task)[0].deleted_at).toBeNull();
    expect(code(() => restoreComment(doc, '99999999-9999-4999-8999-999999999999'))).toBe('NOT_FOUND');
  });

  it('[DM7] a reply concurrent with deleting its parent stays visible under a placeholder', () => {
    const [d1, d2] = replicas(2);
    const task = createTask(d1, { title: 't' });
    const root = addComment(d1, { task_id: task, content: 'root', author_id: null });
    syncAll(d1, d2);
    deleteComment(d1, root);
    addComment(d2, { task_id: task, parent_id: root, content: 'late reply', author_id: null });
    syncAll(d1, d2);
    for (const d of [d1, d2]) expect(shape(readCommentTree(d, task))).toEqual([['(deleted true)', [['late reply', []]]]]);
  });

  it('[DM9] refuses empty content, unknown task or parent, a parent from another task, editing a deleted comment', () => {
    const doc = new Y.Doc();
    const t1 = createTask(doc, { title: 't1' });
    const t2 = createTask(doc, { title: 't2' });
    const c = addComment(doc, { task_id: t1, content: 'c', author_id: null });
    expect(code(() => addComment(doc, { task_id: t1, content: '  ', author_id: null }))).toBe('INVALID');
    expect(code(() => addComment(doc, { task_id: '99999999-9999-4999-8999-999999999999', content: 'x', author_id: null }))).toBe('NOT_FOUND');
    expect(code(() => addComment(doc, { task_id: t1, parent_id: '99999999-9999-4999-8999-999999999999', content: 'x', author_id: null }))).toBe('NOT_FOUND');
    expect(code(() => addComment(doc, { task_id: t2, parent_id: c, content: 'x', author_id: null }))).toBe('INVALID');
    expect(code(() => addComment(doc, { task_id: t1, content: 'x', author_id: 'me' }))).toBe('INVALID');
    deleteComment(doc, c);
    expect(code(() => editComment(doc, c, 'again'))).toBe('INVALID');
    expect(code(() => deleteComment(doc, c))).toBe('no error');
  });
});

describe('tags', () => {
  it('[DM4] create, rename, recolor, delete; names unique among live tags; deleted tags hidden by default', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    const bug = createTag(doc, { name: 'bug', color: '#FF0000' }, ctx);
    const ux = createTag(doc, { name: 'ux' }, ctx);
    expect(code(() => createTag(doc, { name: 'BUG' }, ctx))).toBe('INVALID');
    expect(code(() => createTag(doc, { name: 'x', color: 'red' }, ctx))).toBe('INVALID');
    renameTag(doc, ux, 'design', ctx);
    recolorTag(doc, ux, '#00ff00', ctx);
    expect(readTags(doc).map((t) => [t.name, t.color])).toEqual([['bug', '#ff0000'], ['design', '#00ff00']]);
    deleteTag(doc, bug, ctx);
    expect(readTags(doc).map((t) => t.name)).toEqual(['design']);
    expect(readTags(doc, { includeDeleted: true }).map((t) => t.name)).toEqual(['bug', 'design']);
    expect(code(() => renameTag(doc, bug, 'b'))).toBe('INVALID');
    expect(code(() => createTag(doc, { name: 'bug' }, ctx))).toBe('no error');
    expect(code(() => deleteTag(doc, '99999999-9999-4999-8999-999999999999'))).toBe('NOT_FOUND');
  });

  it('[DM4] setTaskTags needs live tags for new links, keeps links to tags deleted since', () => {
    const doc = new Y.Doc();
    const a = createTag(doc, { name: 'a' });
    const b = createTag(doc, { name: 'b' });
    const task = createTask(doc, { title: 't', tag_ids: [a] });
    deleteTag(doc, a);
    expect(code(() => setTaskTags(doc, task, [a, b]))).toBe('no error');
    expect(readTask(doc, task)?.tag_ids).toEqual([a, b].sort());
    const c = createTag(doc, { name: 'c' });
    deleteTag(doc, c);
    expect(code(() => setTaskTags(doc, task, [c]))).toBe('INVALID');
    expect(code(() => setTaskTags(doc, task, [a, a]))).toBe('INVALID');
  });
});

describe('checklist', () => {
  it('[DM13] add, edit, toggle, reorder, remove', () => {
    const doc = new Y.Doc();
    const task = createTask(doc, { title: 't' });
    const one = addChecklistItem(doc, task, 'one');
    const two = addChecklistItem(doc, task, 'two');
    const three = addChecklistItem(doc, task, 'three');
    editChecklistItem(doc, task, two, 'TWO');
    toggleChecklistItem(doc, task, one);
    toggleChecklistItem(doc, task, three, false);
    moveChecklistItem(doc, task, three, 0);
    expect(readTask(doc, task)?.checklist.map((c) => [c.text, c.done])).toEqual([['three', false], ['one', true], ['TWO', false]]);
    moveChecklistItem(doc, task, three, 99);
    removeChecklistItem(doc, task, one);
    expect(readTask(doc, task)?.checklist.map((c) => c.text)).toEqual(['TWO', 'three']);
    expect(code(() => toggleChecklistItem(doc, task, 'missing'))).toBe('NOT_FOUND');
    expect(code(() => addChecklistItem(doc, task, ''))).toBe('INVALID');
  });

  it('[DM4] concurrent reorders of one item leave one visible copy, and later edits reach every copy', () => {
    const [d1, d2] = replicas(2);
    const task = createTask(d1, { title: 't', checklist: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
    syncAll(d1, d2);
    const c = readTask(d1, task)?.checklist[2].id ?? '';
    moveChecklistItem(d1, task, c, 0);
    moveChecklistItem(d2, task, c, 1);
    syncAll(d1, d2);
    const list = readTask(d1, task)?.checklist ?? [];
    expect(list.map((i) => i.text).sort()).toEqual(['a', 'b', 'c']);
    expect(readTask(d2, task)?.checklist).toEqual(list);
    toggleChecklistItem(d1, task, c, true);
    removeChecklistItem(d2, task, list[0].id === c ? list[1].id : list[0].id);
    syncAll(d1, d2);
    expect(readTask(d2, task)?.checklist.find((i) => i.id === c)?.done).toBe(true);
    expect(readTask(d2, task)?.checklist).toHaveLength(2);
  });
});

describe('attachments', () => {
  it('[DM9] adds validated metadata, soft-removes, lists live ones by default', () => {
    const doc = new Y.Doc();
    const ctx = testCtx();
    const task = createTask(doc, { title: 't' }, ctx);
    const meta = { id: '77777777-7777-4777-8777-777777777777', task_id: task, name: 'a.png', size: 10, mime: 'image/png', sha256: 'A'.repeat(64), uploaded_by: AUTHOR };
    expect(addAttachment(doc, meta, ctx)).toBe(meta.id);
    expect(readAttachments(doc, task)).toEqual([{ ...meta, sha256: 'a'.repeat(64), created_at: ctx.tick(), deleted_at: null }]);
    expect(code(() => addAttachment(doc, meta, ctx))).toBe('INVALID');
    expect(code(() => addAttachment(doc, { ...meta, id: '77777777-7777-4777-8777-777777777778', size: -1 }, ctx))).toBe('INVALID');
    expect(code(() => addAttachment(doc, { ...meta, id: '77777777-7777-4777-8777-777777777778', sha256: 'xyz' }, ctx))).toBe('INVALID');
    expect(code(() => addAttachment(doc, { ...meta, id: '77777777-7777-4777-8777-777777777778', task_id: meta.id }, ctx))).toBe('NOT_FOUND');
    removeAttachment(doc, meta.id, ctx);
    expect(readAttachments(doc, task)).toEqual([]);
    expect(readAttachments(doc, task, { includeDeleted: true })[0].deleted_at).toBe(ctx.tick());
    expect(code(() => removeAttachment(doc, '77777777-7777-4777-8777-777777777779'))).toBe('NOT_FOUND');
  });
});
