import type { paths } from './api-types.gen';
/**
 * The one HTTP client of the web app. Every call:
 * - sends `Accept-Language` so the server phrases errors in the UI language;
 * - sends the session's CSRF token on writes (the server refuses writes without it);
 * - turns the API's error shape `{ error: { code, message, fields? } }` into an `ApiError`.
 */

export type FieldErrors = Record<string, string>;

/** Codes the client itself produces when no API answer could be read. */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** True when the answer names at least one field, so the form shows messages next to its inputs. */
  get hasFieldErrors(): boolean {
    return Object.keys(this.fields).length > 0;
  }
}

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, unknown> } };

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Builds an ApiError from any answer; a body that is not the API's error shape still gives a usable error. */
export function parseApiError(status: number, body: unknown, fallbackMessage: string): ApiError {
  if (isErrorBody(body)) {
    const fields: FieldErrors = {};
    for (const [path, message] of Object.entries(body.error.fields ?? {})) {
      if (typeof message === 'string') fields[path] = message;
    }
    return new ApiError(status, body.error.code, body.error.message, fields);
  }
  return new ApiError(status, 'BAD_RESPONSE', fallbackMessage);
}

type ClientSettings = {
  language: () => string;
  /** Messages for failures that never reached the API, in the UI language. */
  networkMessage: () => string;
  badResponseMessage: () => string;
  /** Called when the API says the session is gone, so the app can show the login page. */
  onUnauthenticated: () => void;
};

const settings: ClientSettings = {
  language: () => 'vi',
  networkMessage: () => 'Không kết nối được máy chủ.',
  badResponseMessage: () => 'Máy chủ trả lời không hợp lệ.',
  onUnauthenticated: () => {},
};

let csrfToken: string | null = null;

export function configureApi(next: Partial<ClientSettings>): void {
  Object.assign(settings, next);
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type QueryValue = string | number | boolean | null | undefined;

/** Query string without empty values, so URLs stay short and the server applies its defaults. */
export function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const API_BASE = '/api/v1';

export type RequestOptions = {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
};

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': settings.language() === 'en' ? 'en' : 'vi',
  };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    // The browser sets the multipart boundary itself.
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${toQueryString(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', settings.networkMessage());
  }

  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const error = parseApiError(response.status, parsed, settings.badResponseMessage());
    if (response.status === 401 && !path.startsWith('/auth/')) settings.onUnauthenticated();
    throw error;
  }
  if (text && parsed === null)
    throw new ApiError(response.status, 'BAD_RESPONSE', settings.badResponseMessage());
  return parsed as T;
}

export const api = {
  get: <T>(path: ApiPath<'get'>, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: ApiPath<'post'>, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: ApiPath<'patch'>, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: ApiPath<'delete'>) => request<T>('DELETE', path),
  upload: <T>(path: ApiPath<'post'>, file: File, field = 'file') => {
    const form = new FormData();
    form.append(field, file);
    return request<T>('POST', path, { body: form });
  },
};

/** Turns dates in API types into the strings JSON actually carries. */
export type Json<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type WithoutBase<P> = P extends `/api/v1${infer Rest}` ? Rest : never;
/** `/subjects/{id}` → `/subjects/${string}`: what a template literal with the id in it is typed as. */
type Filled<P extends string> = P extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${Filled<Tail>}`
  : P;
/**
 * The paths of the API document (src/web/api-types.gen.ts) that answer `M`: a call to a path or
 * method the server does not have fails to compile. Regenerate with `npm run api:types`.
 */
export type ApiPath<M extends ApiMethod> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? Filled<WithoutBase<P & string>> : never;
}[keyof paths];
