// Attachments over real HTTP: streamed uploads into attachment_blobs, the size limit enforced while
// streaming, content addressing, and the download headers that keep stored files from acting as web pages.
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAttachment } from '../../../shared/doc-model.ts';
import { startSyncHarness, type SyncHarness } from '../sync/test-sync-server.ts';
import { apiClient } from '../tasks/test-api.ts';
import type { TestUser } from '../test/fixtures.ts';

const LIMIT = 256 * 1024;
let h: SyncHarness;
let call: ReturnType<typeof apiClient>;
let member: TestUser, viewer: TestUser, stranger: TestUser;
let projectId: string;
let taskId: string;

beforeAll(async () => {
  h = await startSyncHarness({ config: { maxUploadBytes: LIMIT } });
  call = apiClient(h);
  [member, viewer, stranger] = await Promise.all([h.user(), h.user(), h.user()]);
  projectId = await h.project([[member, 'MEMBER'], [viewer, 'VIEWER']]);
  taskId = (await call('POST', `/api/projects/${projectId}/tasks`, { token: member.token, body: { title: 'With files' } })).json.data.id;
});
afterAll(() => h.close());

async function upload(token: string, data: Uint8Array, filename: string, type: string, opts: { id?: string; field?: string; task?: string } = {}) {
  const form = new FormData();
  if (opts.id) form.append('id', opts.id);
  form.append(opts.field ?? 'file', new Blob([new Uint8Array(data)], { type }), filename);
  const res = await fetch(`${h.httpUrl}/api/tasks/${opts.task ?? taskId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, json: await res.json() };
}

/** A multipart body built by hand, so the filename bytes are exactly what the test says. */
async function rawUpload(token: string, filename: Buffer, data: Uint8Array) {
  const boundary = 'raw-boundary-1234';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
    filename,
    Buffer.from('"\r\nContent-Type: text/plain\r\n\r\n'),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${h.httpUrl}/api/tasks/${taskId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  return { status: res.status, json: await res.json() };
}

const download = (id: string, token: string) => fetch(`${h.httpUrl}/api/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } });
const blobCount = async () => Number((await h.db.sql<{ n: string }[]>`SELECT count(*) AS n FROM attachment_blobs`)[0]!.n);
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('upload and download', () => {
  it('stores the file, returns the row, and serves it back with safe headers', async () => {
    const png = randomBytes(50_000);
    const res = await upload(member.token, png, 'photo.png', 'image/png');
    expect(res.status).toBe(201);
    expect(res.json.data).toMatchObject({ task_id: taskId, project_id: projectId, name: 'photo.png', size: 50_000, mime: 'image/png', sha256: sha(png), uploaded_by: member.id, deleted_at: null });
    const listed = await call('GET', `/api/tasks/${taskId}/attachments`, { token: viewer.token });
    expect(listed.json.data.map((a: { id: string }) => a.id)).toContain(res.json.data.id);

    const got = await download(res.json.data.id, viewer.token);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="photo.png"; filename*=UTF-8''photo.png`);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
  });

  it('serves anything outside the allowlist as application/octet-stream', async () => {
    const html = new TextEncoder().encode('<script>alert(document.cookie)</script>');
    const res = await upload(member.token, html, 'page.html', 'text/html');
    expect(res.json.data.mime).toBe('text/html');
    const got = await download(res.json.data.id, member.token);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    const svg = await upload(member.token, new TextEncoder().encode('<svg/>'), 'x.svg', 'image/svg+xml');
    expect((await download(svg.json.data.id, member.token)).headers.get('content-type')).toBe('application/octet-stream');
    const txt = await upload(member.token, new TextEncoder().encode('hello'), 'notes.txt', 'text/plain');
    expect((await download(txt.json.data.id, member.token)).headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('sanitizes file names in the row and in Content-Disposition', async () => {
    // Raw bytes, as a hostile client would send them (FormData would percent-encode the quotes).
    const res = await rawUpload(member.token, Buffer.from('../../etc/\\"pass\u202Ewd\\".txt', 'utf8'), new Uint8Array([1, 2, 3]));
    expect(res.status).toBe(201);
    expect(res.json.data.name).toBe('_pass_wd_.txt');
    const unicode = await upload(member.token, new Uint8Array([4]), 'Übersicht 日本.pdf', 'application/pdf');
    expect(unicode.json.data.name).toBe('Übersicht 日本.pdf');
    const header = (await download(unicode.json.data.id, member.token)).headers.get('content-disposition');
    expect(header).toBe(`attachment; filename="_bersicht __.pdf"; filename*=UTF-8''%C3%9Cbersicht%20%E6%97%A5%E6%9C%AC.pdf`);
  });

  it('stores identical content once (content-addressed)', async () => {
    const data = randomBytes(10_000);
    const before = await blobCount();
    const a = await upload(member.token, data, 'a.bin', 'application/octet-stream');
    const b = await upload(member.token, data, 'b.bin', 'application/octet-stream');
    expect(a.json.data.id).not.toBe(b.json.data.id);
    expect(a.json.data.sha256).toBe(b.json.data.sha256);
    expect(await blobCount()).toBe(before + 1);
  });

  it('accepts a client-chosen id, and a retry with the same id and content answers the same row', async () => {
    const id = randomUUID();
    const data = randomBytes(1000);
    const first = await upload(member.token, data, 'offline.jpg', 'image/jpeg', { id });
    expect(first.status).toBe(201);
    expect(first.json.data.id).toBe(id);
    const retry = await upload(member.token, data, 'offline.jpg', 'image/jpeg', { id });
    expect(retry.status).toBe(200);
    expect(retry.json.data).toEqual(first.json.data);
    const clash = await upload(member.token, randomBytes(1000), 'other.jpg', 'image/jpeg', { id });
    expect(clash.status).toBe(409);
  });

  it('an attachment listed in the document before its upload shows uploaded=false until the file arrives', async () => {
    // What an offline client does: it puts the metadata into the document, the file waits on the device.
    const id = randomUUID();
    const data = randomBytes(2048);
    await h.deps.docs!.transact(projectId, member.id, (doc) =>
      addAttachment(doc, { id, task_id: taskId, name: 'later.jpg', size: data.length, mime: 'image/jpeg', sha256: sha(data), uploaded_by: member.id }, { userId: member.id }),
    );
    const waiting = (await call('GET', `/api/tasks/${taskId}/attachments`, { token: viewer.token })).json.data.find((a: { id: string }) => a.id === id);
    expect(waiting).toMatchObject({ id, uploaded: false });
    expect((await download(id, viewer.token)).status).toBe(404);
    const res = await upload(member.token, data, 'later.jpg', 'image/jpeg', { id });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ id, uploaded: true, sha256: sha(data) });
    expect(Buffer.from(await (await download(id, viewer.token)).arrayBuffer()).equals(data)).toBe(true);
  });

  it('refuses a form without the file field, and a non-multipart body', async () => {
    const noFile = await upload(member.token, new Uint8Array([1]), 'x.txt', 'text/plain', { field: 'document' });
    expect(noFile.status).toBe(400);
    const json = await call('POST', `/api/tasks/${taskId}/attachments`, { token: member.token, body: { file: 'x' } });
    expect(json.status).toBe(400);
  });

  it('delete hides the attachment and its download', async () => {
    const res = await upload(member.token, randomBytes(100), 'gone.bin', 'application/octet-stream');
    expect((await call('DELETE', `/api/attachments/${res.json.data.id}`, { token: viewer.token })).status).toBe(403);
    const deleted = await call('DELETE', `/api/attachments/${res.json.data.id}`, { token: member.token });
    expect(deleted.status).toBe(200);
    expect(deleted.json.data.deleted_at).not.toBeNull();
    expect((await download(res.json.data.id, member.token)).status).toBe(404);
    expect((await call('DELETE', `/api/attachments/${res.json.data.id}`, { token: member.token })).status).toBe(404);
  });
});

describe('who may', () => {
  it('VIEWER cannot upload (403); non-members get 404 for upload, list, download and delete', async () => {
    const ok = await upload(member.token, randomBytes(10), 'x.bin', 'application/octet-stream');
    expect((await upload(viewer.token, randomBytes(10), 'x.bin', 'application/octet-stream')).status).toBe(403);
    expect((await upload(stranger.token, randomBytes(10), 'x.bin', 'application/octet-stream')).status).toBe(404);
    expect((await call('GET', `/api/tasks/${taskId}/attachments`, { token: stranger.token })).status).toBe(404);
    expect((await download(ok.json.data.id, stranger.token)).status).toBe(404);
    expect((await call('DELETE', `/api/attachments/${ok.json.data.id}`, { token: stranger.token })).status).toBe(404);
    expect((await fetch(`${h.httpUrl}/api/attachments/${ok.json.data.id}`)).status).toBe(401);
    expect((await download('not-a-uuid', member.token)).status).toBe(404);
  });
});

describe('upload limit', () => {
  it('accepts a file of exactly the limit', async () => {
    const res = await upload(member.token, randomBytes(LIMIT), 'max.bin', 'application/octet-stream');
    expect(res.status).toBe(201);
    expect(res.json.data.size).toBe(LIMIT);
  });

  it('answers 413 while the client is still sending, without buffering the body, and stores nothing', async () => {
    const blobsBefore = await blobCount();
    const boundary = '----fieldboard-test';
    const chunk = Buffer.alloc(16 * 1024, 7);
    let sent = 0;
    let finished = false;
    let answered = false;
    const result = await new Promise<{ status: number; body: string; sentWhenAnswered: number; finishedWhenAnswered: boolean }>((resolve, reject) => {
      // Chunked transfer: no Content-Length, so only the streaming check can catch it.
      const req = request(`${h.httpUrl}/api/tasks/${taskId}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${member.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = true;
        const sentWhenAnswered = sent;
        const finishedWhenAnswered = finished;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, sentWhenAnswered, finishedWhenAnswered });
          req.destroy();
        });
      });
      req.on('error', (error) => {
        // The server closes the connection after answering; writes racing that close may fail.
        if (!answered) reject(error);
      });
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      // Offer up to 40x the limit, paced, and never end the request on our own.
      const pump = () => {
        if (req.destroyed || answered) return;
        if (sent >= LIMIT * 40) {
          finished = true;
          req.end(`\r\n--${boundary}--\r\n`);
          return;
        }
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once('drain', pump);
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(result.finishedWhenAnswered).toBe(false);
    // The answer came long before the client got through its 10 MiB (socket buffers hold some of it).
    expect(result.sentWhenAnswered).toBeLessThan(LIMIT * 20);
    expect(await blobCount()).toBe(blobsBefore);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.httpUrl}/api/tasks/${taskId}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${member.token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(LIMIT * 100) },
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      req.write('--x\r\n'); // a few bytes of the promised 25 MiB
    });
    expect(status).toBe(413);
  });
});
