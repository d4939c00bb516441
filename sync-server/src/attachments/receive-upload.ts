// Streams a multipart/form-data upload (the file in field `file`) straight into the BlobStore: hashed and
// counted while it flows, refused as soon as it passes the limit. The request body is never held whole.
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { ApiError } from '../http/api-error.ts';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from './blob-store.ts';
import { normalizeMime, sanitizeFilename } from './filename.ts';

export interface ReceivedFile extends StoredBlob {
  name: string;
  mime: string;
  /** Small text fields sent before the file (e.g. `id`, a client-chosen attachment id). */
  fields: Record<string, string>;
}

const tooLarge = (max: number) => new ApiError('PAYLOAD_TOO_LARGE', `The file is larger than the upload limit of ${max} bytes`, { max_bytes: max });

/**
 * `source` is the request body (the Node request itself under @hono/node-server). On refusal we stop reading
 * it but do not destroy it: destroying the request destroys the socket before the 413 is written. The
 * server adapter drains and closes the connection after the response.
 */
export function receiveUpload(source: Readable, contentType: string, opts: { store: BlobStore; maxBytes: number }): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let stored: Promise<void> | null = null;
    let parserClosed = false;
    const fields: Record<string, string> = {};

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.unpipe();
      source.pause();
      reject(error);
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        // The file limit itself is enforced by store.put (maxBytes), which refuses without storing; busboy's
        // own fileSize limit would silently truncate instead.
        limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
      });
    } catch {
      reject(new ApiError('VALIDATION_ERROR', 'Send the file as multipart/form-data in a field named "file"'));
      return;
    }

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || stored) {
        stream.resume(); // not ours: drain it
        return;
      }
      const name = sanitizeFilename(info.filename);
      const mime = normalizeMime(info.mimeType);
      stored = opts.store.put(stream, { maxBytes: opts.maxBytes }).then(
        (blob) => {
          if (settled) return;
          const done = () => {
            if (settled) return;
            settled = true;
            resolve({ ...blob, name, mime, fields: { ...fields } });
          };
          // The rest of the body (closing boundary) may still be in flight; answer once busboy has finished.
          if (parserClosed) done();
          else parser.once('close', done);
        },
        (error) => fail(error instanceof BlobTooLargeError ? tooLarge(opts.maxBytes) : error),
      );
    });
    parser.on('filesLimit', () => fail(new ApiError('VALIDATION_ERROR', 'Send one file per request')));
    parser.on('partsLimit', () => fail(new ApiError('VALIDATION_ERROR', 'Too many parts in the form')));
    parser.on('fieldsLimit', () => fail(new ApiError('VALIDATION_ERROR', 'Too many fields in the form')));
    parser.on('error', (error) => fail(new ApiError('VALIDATION_ERROR', `Malformed multipart body: ${(error as Error).message}`)));
    parser.on('close', () => {
      parserClosed = true;
      if (!stored) fail(new ApiError('VALIDATION_ERROR', 'No file: send it in a multipart field named "file"', [{ field: 'file', message: 'required', code: 'required' }]));
    });
    source.on('error', (error) => fail(error));
    source.pipe(parser);
  });
}
