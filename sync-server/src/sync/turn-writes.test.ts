// TurnWrites: what one turn sends to a socket leaves in one write, at the end of the turn, in order.
import { Writable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nextTurn, pauser } from '../rooms/turns.ts';
import { TurnWrites } from './turn-writes.ts';

/** A socket stand-in that records each write the stream hands down (one entry per system call on a real socket). */
function recordingSocket() {
  const writes: string[][] = [];
  const socket = new Writable({
    writev(chunks, done) {
      writes.push(chunks.map((c) => String(c.chunk)));
      done();
    },
    write(chunk, _enc, done) {
      writes.push([String(chunk)]);
      done();
    },
  });
  return { socket: socket as unknown as Duplex, writes };
}

const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TurnWrites', () => {
  it('sends the frames of one turn to a socket in one write, after the turn, in order', async () => {
    const turn = new TurnWrites();
    const a = recordingSocket();
    const b = recordingSocket();
    for (const frame of ['1', '2', '3']) {
      turn.hold(a.socket);
      a.socket.write(frame);
    }
    turn.hold(b.socket);
    b.socket.write('x');
    expect(a.writes).toEqual([]);
    await endOfTurn();
    expect(a.writes).toEqual([['1', '2', '3']]);
    expect(b.writes).toEqual([['x']]);
    turn.dispose();
  });

  it('leaves a socket its caller corked corked, and uncorks only what it corked', async () => {
    const turn = new TurnWrites();
    const a = recordingSocket();
    a.socket.cork();
    turn.hold(a.socket);
    a.socket.write('1');
    await endOfTurn();
    expect(a.writes).toEqual([]);
    a.socket.uncork();
    expect(a.writes).toEqual([['1']]);
    turn.dispose();
  });

  it('holds a frame sent while the turn flushes until the next turn instead of losing it', async () => {
    const turn = new TurnWrites();
    const a = recordingSocket();
    turn.hold(a.socket);
    a.socket.write('1', () => {
      turn.hold(a.socket);
      a.socket.write('2');
    });
    await endOfTurn();
    await endOfTurn();
    await endOfTurn();
    expect(a.writes.flat()).toEqual(['1', '2']);
    expect(a.socket.writableCorked).toBe(0);
    turn.dispose();
  });

  it('sends what it holds before long work starts or resumes, not after the slice', async () => {
    const turn = new TurnWrites();
    const a = recordingSocket();
    // Queued before the hold, as the slice of a load or compaction that yielded in the turn before.
    const seenBySlice = nextTurn().then(() => a.writes.flat());
    turn.hold(a.socket);
    a.socket.write('relay 1');
    expect(await seenBySlice).toEqual(['relay 1']);
    turn.hold(a.socket);
    a.socket.write('relay 2');
    pauser(10); // long work starting in this very turn
    expect(a.writes.flat()).toEqual(['relay 1', 'relay 2']);
    turn.dispose();
  });
});
