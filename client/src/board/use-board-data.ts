// Everything the board renders, read from the project's Y.Doc through the doc-model read functions.
import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { MAP, readAttachments, readComments, readTags, type Tag, type Task } from '../../../shared/doc-model.ts';
import type { TaskStatus } from '../../../shared/api.ts';
import { useDocMapsValue } from '../sync/project-session.ts';
import { boardCacheOf } from './board-cache.ts';

export interface TaskCounts {
  comments: number;
  attachments: number;
}

/** Live comment and attachment counts per task, in one pass over each map. */
export function readCounts(doc: Y.Doc): Record<string, TaskCounts> {
  const counts: Record<string, TaskCounts> = {};
  const entry = (taskId: string) => (counts[taskId] ??= { comments: 0, attachments: 0 });
  for (const comment of readComments(doc).comments) if (comment.deleted_at === null) entry(comment.task_id).comments++;
  for (const attachment of readAttachments(doc)) entry(attachment.task_id).attachments++;
  return counts;
}

export interface BoardData {
  board: Record<TaskStatus, Task[]>;
  tags: Tag[];
  counts: Record<string, TaskCounts>;
}

const TAG_MAPS = [MAP.tags];
const COUNT_MAPS = [MAP.comments, MAP.attachments];
const readAllTags = (doc: Y.Doc) => readTags(doc);

export function useBoardData(doc: Y.Doc): BoardData {
  // Incremental: only the tasks each transaction touched are re-read, and the rest keep their objects.
  const cache = boardCacheOf(doc);
  const board = useSyncExternalStore(cache.subscribe, cache.board);
  // Tags and counts are re-read only when their maps change (a move or a title edit leaves them alone).
  const tags = useDocMapsValue(doc, TAG_MAPS, readAllTags);
  const counts = useDocMapsValue(doc, COUNT_MAPS, readCounts);
  return { board, tags, counts };
}
