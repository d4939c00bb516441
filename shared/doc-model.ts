// The project document: its Yjs layout and the only functions that write it. Spec: shared/DOC-MODEL.md.
// This file only re-exports; the model lives in shared/doc-model/.
export * from './doc-model/types.ts';
export { MAP, initDoc, isNewerSchema, schemaVersionOf } from './doc-model/layout.ts';
export { createTask, deleteTask, getDescription, moveTask, restoreTask, setTaskTags, updateTask } from './doc-model/tasks.ts';
export { addComment, deleteComment, editComment, restoreComment } from './doc-model/comments.ts';
export { createTag, deleteTag, recolorTag, renameTag } from './doc-model/tags.ts';
export {
  addChecklistItem,
  editChecklistItem,
  moveChecklistItem,
  removeChecklistItem,
  toggleChecklistItem,
} from './doc-model/checklist.ts';
export { addAttachment, removeAttachment } from './doc-model/attachments.ts';
export { readAttachments, readBoard, readColumn, readComments, readCommentTree, readTags, readTask, readTasks } from './doc-model/read.ts';
export { EPOCH } from './doc-model/parse.ts';
