// Tag writers. Tags are soft-deleted: tasks keep their tag ids, readers join with live tags.
import * as Y from 'yjs';
import { tagsMap, write } from './layout.ts';
import { DocModelError, TAG_NAME_MAX, type TagInput, type WriteContext } from './types.ts';
import * as v from './validate.ts';

function requireLiveTag(doc: Y.Doc, id: unknown): { id: string; map: Y.Map<unknown> } {
  const tagId = v.uuid('tag id', id);
  const value = tagsMap(doc).get(tagId);
  if (value === undefined) throw new DocModelError('NOT_FOUND', `tag ${tagId} not found`);
  if (!(value instanceof Y.Map)) v.invalid(`tag ${tagId} is malformed in the document and cannot be edited`);
  if (typeof value.get('deleted_at') === 'string') v.invalid(`tag ${tagId} is deleted`);
  return { id: tagId, map: value };
}

/**
 * Names are unique among live tags, case-insensitively, as far as this replica can see. Two offline
 * replicas can still create the same name; both tags then exist (readers order them by name, then id).
 */
function checkNameFree(doc: Y.Doc, name: string, exceptId: string | null): void {
  const wanted = name.toLowerCase();
  for (const [id, value] of tagsMap(doc).entries()) {
    if (id === exceptId || !(value instanceof Y.Map) || typeof value.get('deleted_at') === 'string') continue;
    const other = value.get('name');
    if (typeof other === 'string' && other.toLowerCase() === wanted) v.invalid(`a tag named "${other}" already exists`);
  }
}

export function createTag(doc: Y.Doc, input: TagInput, ctx?: WriteContext): string {
  return write(doc, ctx, (w) => {
    if (typeof input !== 'object' || input === null) v.invalid('tag input must be an object');
    const id = v.uuid('id', input.id ?? w.newId()).toLowerCase();
    if (tagsMap(doc).has(id)) v.invalid(`a tag with id ${id} already exists`);
    const name = v.text('name', input.name, TAG_NAME_MAX);
    const color = v.optionalColor(input.color);
    checkNameFree(doc, name, null);
    const map = new Y.Map<unknown>();
    tagsMap(doc).set(id, map);
    map.set('name', name);
    map.set('color', color);
    map.set('created_at', w.now);
    map.set('updated_at', w.now);
    map.set('deleted_at', null);
    return id;
  });
}

export function renameTag(doc: Y.Doc, id: string, name: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const tag = requireLiveTag(doc, id);
    const next = v.text('name', name, TAG_NAME_MAX);
    if (tag.map.get('name') === next) return;
    checkNameFree(doc, next, tag.id);
    tag.map.set('name', next);
    tag.map.set('updated_at', w.now);
  });
}

export function recolorTag(doc: Y.Doc, id: string, color: string | null, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const tag = requireLiveTag(doc, id);
    const next = v.optionalColor(color);
    if (tag.map.get('color') === next) return;
    tag.map.set('color', next);
    tag.map.set('updated_at', w.now);
  });
}

export function deleteTag(doc: Y.Doc, id: string, ctx?: WriteContext): void {
  write(doc, ctx, (w) => {
    const tagId = v.uuid('tag id', id);
    const value = tagsMap(doc).get(tagId);
    if (value === undefined) throw new DocModelError('NOT_FOUND', `tag ${tagId} not found`);
    if (!(value instanceof Y.Map)) v.invalid(`tag ${tagId} is malformed in the document and cannot be edited`);
    if (typeof value.get('deleted_at') === 'string') return;
    value.set('deleted_at', w.now);
    value.set('updated_at', w.now);
  });
}
