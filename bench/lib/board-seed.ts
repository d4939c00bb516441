// A large project board built the way a team builds one, through the shared doc model only: a few members
// (each with their own Yjs client id) create tags and tasks in batches (titles, descriptions, priorities,
// assignees, due dates, tags, checklists), comment on some of them, then keep working on the board (moves
// between columns, edits, ticked checklist items), which leaves the tombstones a real history has.
// Deterministic for a given seed, and cached in the temp directory: placing a task reads its whole column,
// so building 5,000 tasks takes tens of seconds.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  addComment,
  createTag,
  createTask,
  initDoc,
  MAP,
  moveTask,
  readTask,
  TASK_PRIORITIES,
  toggleChecklistItem,
  updateTask,
  type TaskStatus,
  type WriteContext,
} from '../../shared/doc-model.ts';
import { docModelHash } from './history.ts';
import { xorshift32 } from './random.ts';

export interface TeamMember {
  id: string;
  name: string;
  email: string;
}

export interface BoardSeed {
  taskCount: number;
  commentCount: number;
  /** Tasks per board column at the end (TODO, IN_PROGRESS, IN_REVIEW, DONE). */
  columns: Record<Exclude<TaskStatus, 'ARCHIVED'>, number>;
  /** The members who wrote the board (assignees, reporters, comment authors): add them to the project. */
  team: TeamMember[];
  /** One update per batch transaction, in order (V1 encoding, as y-websocket sends them). */
  updates: Uint8Array[];
  /** Byte size of Y.encodeStateAsUpdate of the final document. */
  stateBytes: number;
}

/** Largest update we let one batch produce: well below the server's MAX_FRAME_BYTES default (1 MiB). */
export const MAX_BATCH_BYTES = 600 * 1024;
const TASKS_PER_BATCH = 200;
const EDITS_PER_BATCH = 250;

const COLUMNS = ['TODO', 'IN_PROGRESS', 'IN_REVIEW', 'DONE'] as const;
/** Column weights of a board in use: a long backlog and a long done column. */
const COLUMN_WEIGHTS = [0.34, 0.2, 0.12, 0.34];
const VERBS = ['Inspect', 'Replace', 'Order', 'Repair', 'Survey', 'Paint', 'Clean', 'Check', 'Install', 'Measure', 'Update', 'Plan'];
const THINGS = ['north fence', 'water pump', 'barn roof', 'irrigation line', 'tractor tyres', 'feed silo', 'gate latch', 'solar panel', 'drainage ditch', 'greenhouse vents', 'diesel tank', 'tool shed'];
const SENTENCES = [
  'Posts 4 to 7 lean after the storm.',
  'Bring the long ladder and two spare hinges.',
  'The supplier needs the order by Thursday.',
  'Last time this took half a day with two people.',
  'Photos of the damage are attached to the previous task.',
  'Coordinate with the neighbours before closing the lane.',
  'Check the warranty before buying new parts.',
  'Measure twice: the old drawings are wrong.',
];
const COMMENTS = ['Done the first half, rest tomorrow.', 'Parts arrived.', 'Can someone take this over next week?', 'Looks fine to me, checked on site.', 'Blocked until the rain stops.'];
const TAG_NAMES = ['urgent-fix', 'safety', 'supplier', 'weekend', 'electrical', 'plumbing', 'outdoor', 'budget', 'follow-up', 'inspection'];
const TAG_COLORS = ['#d04437', '#f6c342', '#14892c', '#3b73af', '#815b3a', '#654982', '#4a6785', '#ac707a', '#59afe1', '#f79232'];
const FIRST_NAMES = ['Ada Acre', 'Ben Barrow', 'Cleo Croft', 'Dev Dyke', 'Eva Elm', 'Finn Furrow'];

function prng(seed: number) {
  const next = xorshift32(seed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** A version-4-shaped UUID from the generator (deterministic ids: the cached bytes stay valid). */
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
  };
}

export function buildBoardSeed(taskCount: number, seed = 7): BoardSeed {
  const r = prng(seed);
  const team: TeamMember[] = FIRST_NAMES.map((name, i) => ({ id: r.uuid(), name, email: `${name.split(' ')[0]!.toLowerCase()}.${i}@example.com` }));
  const clientIds = team.map(() => 1 + Math.floor(r.next() * 0x7ffffffe));
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  // A clock that advances a few minutes per operation, starting 200 days before a fixed day.
  let clock = Date.UTC(2026, 4, 1);
  const member = (i: number): WriteContext => ({
    userId: team[i]!.id,
    newId: r.uuid,
    now: () => new Date((clock += 60_000 + Math.floor(r.next() * 600_000))),
  });
  /** One member's batch: one transaction under that member's Yjs client id (as if from their device). */
  const batch = (who: number, fn: () => void) => {
    doc.clientID = clientIds[who]!;
    doc.transact(fn);
  };

  batch(0, () => {
    initDoc(doc);
    TAG_NAMES.forEach((name, i) => createTag(doc, { name, color: TAG_COLORS[i]! }, member(0)));
  });
  const tagIds = [...doc.getMap(MAP.tags).keys()];
  const ids: string[] = [];
  let comments = 0;
  const statusFor = () => {
    let x = r.next();
    for (let i = 0; i < COLUMNS.length; i++) if ((x -= COLUMN_WEIGHTS[i]!) < 0) return COLUMNS[i]!;
    return 'DONE';
  };
  for (let start = 0; start < taskCount; start += TASKS_PER_BATCH) {
    const who = (start / TASKS_PER_BATCH) % team.length;
    batch(who, () => {
      for (let n = start; n < Math.min(taskCount, start + TASKS_PER_BATCH); n++) {
        const ctx = member(who);
        const hasChecklist = r.next() < 0.2;
        const id = createTask(
          doc,
          {
            title: `${r.pick(VERBS)} the ${r.pick(THINGS)} (#${n + 1})`,
            description: r.next() < 0.7 ? Array.from({ length: 1 + Math.floor(r.next() * 4) }, () => r.pick(SENTENCES)).join(' ') : '',
            status: statusFor(),
            priority: r.pick(TASK_PRIORITIES),
            assignee_id: r.next() < 0.7 ? r.pick(team).id : null,
            due_date: r.next() < 0.4 ? new Date(Date.UTC(2026, 9, 1) + Math.floor(r.next() * 120) * 86_400_000).toISOString().slice(0, 10) : null,
            estimated_hours: r.next() < 0.5 ? 1 + Math.floor(r.next() * 16) : null,
            tag_ids: r.next() < 0.4 ? [...new Set(Array.from({ length: 1 + Math.floor(r.next() * 3) }, () => r.pick(tagIds)))] : [],
            checklist: hasChecklist ? Array.from({ length: 2 + Math.floor(r.next() * 5) }, (_, i) => ({ text: `Step ${i + 1}: ${r.pick(VERBS).toLowerCase()} it` })) : [],
          },
          ctx,
        );
        ids.push(id);
        const replies = r.next() < 0.25 ? 1 + Math.floor(r.next() * 3) : 0;
        for (let c = 0; c < replies; c++) {
          const author = Math.floor(r.next() * team.length);
          addComment(doc, { task_id: id, content: r.pick(COMMENTS), author_id: team[author]!.id }, member(author));
          comments++;
        }
      }
    });
  }

  // Then the board is used: a move for every fifth task, edits and ticked checklist items for as many.
  const edits = Math.round(taskCount * 0.4);
  for (let start = 0; start < edits; start += EDITS_PER_BATCH) {
    const who = (start / EDITS_PER_BATCH) % team.length;
    batch(who, () => {
      for (let e = start; e < Math.min(edits, start + EDITS_PER_BATCH); e++) {
        const id = r.pick(ids);
        const x = r.next();
        if (x < 0.5) moveTask(doc, id, { status: r.pick(COLUMNS) }, member(who));
        else if (x < 0.75) updateTask(doc, id, { priority: r.pick(TASK_PRIORITIES) }, member(who));
        else if (x < 0.9) updateTask(doc, id, { title: `${readTask(doc, id)!.title.replace(/ \(#\d+\)$/, '')} again (#${ids.indexOf(id) + 1})` }, member(who));
        else {
          const item = readTask(doc, id)!.checklist.find((c) => !c.done);
          if (item) toggleChecklistItem(doc, id, item.id, true, member(who));
        }
      }
    });
  }

  const columns = { TODO: 0, IN_PROGRESS: 0, IN_REVIEW: 0, DONE: 0 };
  for (const id of ids) columns[readTask(doc, id)!.status as keyof typeof columns]++;
  const tooLarge = updates.find((u) => u.byteLength > MAX_BATCH_BYTES);
  if (tooLarge) throw new Error(`board seed: a batch update is ${tooLarge.byteLength} bytes, over ${MAX_BATCH_BYTES}; make the batches smaller`);
  return { taskCount, commentCount: comments, columns, team, updates, stateBytes: Y.encodeStateAsUpdate(doc).byteLength };
}

/** buildBoardSeed, cached in the temp directory under a key naming the arguments and the doc model's sources. */
export function cachedBoardSeed(taskCount: number, seed = 7): BoardSeed {
  const file = join(tmpdir(), `fieldboard-bench-board-${taskCount}-${seed}-${docModelHash()}.bin`);
  if (existsSync(file)) {
    try {
      const d = decoding.createDecoder(readFileSync(file));
      const meta = JSON.parse(decoding.readVarString(d)) as Omit<BoardSeed, 'updates'>;
      const count = decoding.readVarUint(d);
      const updates = Array.from({ length: count }, () => decoding.readVarUint8Array(d));
      if (meta.taskCount === taskCount && updates.length > 0) return { ...meta, updates };
    } catch {
      // A truncated or foreign file: rebuild it.
    }
  }
  const built = buildBoardSeed(taskCount, seed);
  const e = encoding.createEncoder();
  const { updates, ...meta } = built;
  encoding.writeVarString(e, JSON.stringify(meta));
  encoding.writeVarUint(e, updates.length);
  for (const u of updates) encoding.writeVarUint8Array(e, u);
  writeFileSync(file, encoding.toUint8Array(e));
  return built;
}
