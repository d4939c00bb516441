import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp, isHttps, UNKNOWN_IP } from './client-ip.ts';

function probe(trustProxy: boolean) {
  const app = new Hono();
  app.get('/', (c) => c.json({ ip: clientIp(c, trustProxy), https: isHttps(c, trustProxy) }));
  return async (headers: Record<string, string>, url = 'http://localhost/') => (await app.request(url, { headers })).json();
}

describe('clientIp', () => {
  it('ignores X-Forwarded-For and X-Forwarded-Proto unless TRUST_PROXY is on', async () => {
    const ask = probe(false);
    expect(await ask({ 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' })).toEqual({ ip: UNKNOWN_IP, https: false });
  });

  it('with TRUST_PROXY takes the last X-Forwarded-For entry (the one our proxy appended)', async () => {
    const ask = probe(true);
    expect((await ask({ 'x-forwarded-for': '198.51.100.1, 203.0.113.9' })).ip).toBe('203.0.113.9');
    expect((await ask({ 'x-forwarded-for': '::ffff:192.0.2.4' })).ip).toBe('192.0.2.4');
    expect((await ask({})).ip).toBe(UNKNOWN_IP);
    expect((await ask({ 'x-forwarded-proto': 'https' })).https).toBe(true);
  });

  it('sees https in the request URL itself', async () => {
    expect((await probe(false)({}, 'https://localhost/')).https).toBe(true);
  });
});

describe('clientIp behind a real socket', () => {
  it('reads the peer address from the Node socket', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientIp(c, false)));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(await res.text()).toBe('127.0.0.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
