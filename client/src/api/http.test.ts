import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, apiFetch, apiFetchPage, fieldErrors, setTokenSource } from './http.ts';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setTokenSource(null);
});

describe('apiFetch', () => {
  it('unwraps the envelope and sends the bearer token', async () => {
    const fetchMock = vi.fn(async () => json(200, { success: true, data: { id: 1 } }));
    vi.stubGlobal('fetch', fetchMock);
    setTokenSource({ getToken: async () => 'tok', refresh: async () => null });
    expect(await apiFetch('/api/x')).toEqual({ id: 1 });
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer tok');
  });

  it('refreshes once after a 401 and retries with the new token', async () => {
    const seen: (string | null)[] = [];
    vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
      const auth = new Headers(init.headers).get('Authorization');
      seen.push(auth);
      return auth === 'Bearer new' ? json(200, { success: true, data: 'ok' }) : json(401, { success: false, error: { code: 'UNAUTHORIZED', message: 'expired' } });
    });
    const refresh = vi.fn(async () => 'new');
    setTokenSource({ getToken: async () => 'old', refresh });
    expect(await apiFetch('/api/x')).toBe('ok');
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(refresh).toHaveBeenCalledWith('old');
  });

  it('gives up after one retry with a clear UNAUTHORIZED error', async () => {
    const fetchMock = vi.fn(async () => json(401, { success: false, error: { code: 'UNAUTHORIZED', message: 'Please sign in.' } }));
    vi.stubGlobal('fetch', fetchMock);
    setTokenSource({ getToken: async () => 'old', refresh: async () => 'still-bad' });
    const error = await apiFetch('/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as ApiRequestError).code).toBe('UNAUTHORIZED');
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('turns network failures and non-JSON answers into friendly errors, never raw ones', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const offline = (await apiFetch('/api/x').catch((e: unknown) => e)) as ApiRequestError;
    expect(offline.code).toBe('NETWORK');
    expect(offline.isNetwork).toBe(true);
    expect(offline.message).toMatch(/offline/);

    vi.stubGlobal('fetch', async () => new Response('<html>502 Bad Gateway</html>', { status: 502 }));
    const bad = (await apiFetch('/api/x').catch((e: unknown) => e)) as ApiRequestError;
    expect(bad.code).toBe('INTERNAL');
    expect(bad.message).not.toMatch(/html/i);
  });

  it('keeps validation details addressable by field', async () => {
    vi.stubGlobal('fetch', async () =>
      json(400, { success: false, error: { code: 'VALIDATION_ERROR', message: 'Invalid', details: [{ path: ['name'], message: 'name must not be empty' }] } }),
    );
    const error = await apiFetch('/api/x', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(fieldErrors(error)).toEqual({ name: 'name must not be empty' });
  });

  it('apiFetchPage returns data and pagination', async () => {
    vi.stubGlobal('fetch', async () => json(200, { success: true, data: [1, 2], pagination: { page: 1, per_page: 2, total: 3, pages: 2 } }));
    expect(await apiFetchPage<number>('/api/x')).toEqual({ data: [1, 2], pagination: { page: 1, per_page: 2, total: 3, pages: 2 } });
  });
});
