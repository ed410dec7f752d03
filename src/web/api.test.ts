import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, configureApi, parseApiError, setCsrfToken, toQueryString } from './api';

function stubFetch(status: number, body: unknown) {
  const fetch = vi.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function headersOf(fetch: ReturnType<typeof stubFetch>, call = 0): Record<string, string> {
  const init = fetch.mock.calls[call] as unknown as [string, RequestInit];
  return init[1].headers as Record<string, string>;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  configureApi({ language: () => 'vi', onUnauthenticated: () => {} });
});

describe('parseApiError', () => {
  it('reads code, message and field messages from the API error shape', () => {
    const error = parseApiError(
      400,
      {
        error: {
          code: 'VALIDATION',
          message: 'Dữ liệu không hợp lệ.',
          fields: { email: 'Email không hợp lệ.', 'salesChannels.0.kind': 'Bắt buộc.' },
        },
      },
      'fallback',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION', message: 'Dữ liệu không hợp lệ.' });
    expect(error.fields).toEqual({ email: 'Email không hợp lệ.', 'salesChannels.0.kind': 'Bắt buộc.' });
    expect(error.hasFieldErrors).toBe(true);
  });

  it('gives a usable error for answers that are not the error shape', () => {
    for (const body of [null, 'Bad Gateway', { message: 'x' }, { error: 'x' }, { error: { code: 1 } }]) {
      const error = parseApiError(502, body, 'Máy chủ trả lời không hợp lệ.');
      expect(error).toMatchObject({
        status: 502,
        code: 'BAD_RESPONSE',
        message: 'Máy chủ trả lời không hợp lệ.',
      });
      expect(error.fields).toEqual({});
    }
  });

  it('ignores field messages that are not text', () => {
    const error = parseApiError(
      400,
      { error: { code: 'VALIDATION', message: 'm', fields: { a: 1, b: 'ok' } } },
      '',
    );
    expect(error.fields).toEqual({ b: 'ok' });
  });
});

describe('request', () => {
  it('sends the UI language, and the CSRF token only on writes', async () => {
    const fetch = stubFetch(200, { ok: true });
    configureApi({ language: () => 'en' });
    setCsrfToken('token-1');
    await api.get('/products', { q: 'com chay', page: 2, empty: '', off: false });
    await api.post('/products', { name: 'Cơm cháy' });
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/products?q=com+chay&page=2');
    expect(headersOf(fetch, 0)['Accept-Language']).toBe('en');
    expect(headersOf(fetch, 0)['x-csrf-token']).toBeUndefined();
    expect(headersOf(fetch, 1)['x-csrf-token']).toBe('token-1');
    expect(headersOf(fetch, 1)['Content-Type']).toBe('application/json');
  });

  it('throws ApiError with the server message and fields on a 4xx', async () => {
    stubFetch(409, {
      error: { code: 'STALE', message: 'Bản ghi đã được người khác sửa; vui lòng tải lại.' },
    });
    await expect(api.patch('/subjects/1', { version: 1 })).rejects.toMatchObject({
      status: 409,
      code: 'STALE',
      message: 'Bản ghi đã được người khác sửa; vui lòng tải lại.',
    });
  });

  it('reports a lost session, except from the auth endpoints themselves', async () => {
    const lost = vi.fn();
    configureApi({ onUnauthenticated: lost });
    stubFetch(401, { error: { code: 'UNAUTHENTICATED', message: 'Vui lòng đăng nhập.' } });
    await expect(api.get('/auth/me')).rejects.toBeInstanceOf(ApiError);
    expect(lost).not.toHaveBeenCalled();
    await expect(api.get('/subjects')).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('turns a network failure into an ApiError in the UI language', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    configureApi({ networkMessage: () => 'Không kết nối được máy chủ.' });
    await expect(api.get('/subjects')).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('sends uploads as multipart without a JSON content type', async () => {
    const fetch = stubFetch(201, { id: 'p1' });
    setCsrfToken('t');
    await api.upload(
      '/products/1/photos',
      new File([new Uint8Array([1, 2])], 'a.jpg', { type: 'image/jpeg' }),
    );
    const init = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init[1].body).toBeInstanceOf(FormData);
    expect(headersOf(fetch)['Content-Type']).toBeUndefined();
    expect(headersOf(fetch)['x-csrf-token']).toBe('t');
  });
});

describe('toQueryString', () => {
  it('drops empty values so the server applies its defaults', () => {
    expect(toQueryString({ a: undefined, b: null, c: '', d: false, e: 0, f: true })).toBe('?e=0&f=true');
    expect(toQueryString({})).toBe('');
  });
});
