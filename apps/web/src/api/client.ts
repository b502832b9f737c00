import type { ApiError, ErrorCode } from '@tiaki/domain';

/** Anything that can check an unknown value, such as the zod schemas exported by @tiaki/domain. */
export interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** Codes the client makes up itself, for failures that never produced an ApiError body. */
export const CLIENT_ERROR_CODES = ['network_error', 'unexpected_response'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** The body of a failed answer: the ApiError fields, plus any extra details the server sent. */
export type ApiErrorBody = Omit<ApiError, 'code'> & { code: ErrorCode | ClientErrorCode } & Readonly<
    Record<string, unknown>
  >;

/** A request that failed: carries the HTTP status (0 when the server could not be reached) and the ApiError. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.body = body;
  }

  get code(): ErrorCode | ClientErrorCode {
    return this.body.code;
  }

  get fields(): NonNullable<ApiError['fields']> {
    return this.body.fields ?? [];
  }

  /** The session is missing or has ended: the person has to sign in again. */
  get endsSession(): boolean {
    return this.status === 401 && (this.code === 'not_signed_in' || this.code === 'session_expired');
  }
}

export type ClientEvent =
  { type: 'unauthorised'; code: 'not_signed_in' | 'session_expired' } | { type: 'activity'; at: number };

type Listener = (event: ClientEvent) => void;

let csrfToken: string | null = null;
let serverClockOffset = 0;
const listeners = new Set<Listener>();

/** Called whenever a new SessionView arrives: every state-changing request echoes its token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Server time minus this device's time, in milliseconds (from the Date header of the latest answer). */
export function getServerClockOffset(): number {
  return serverClockOffset;
}

/** Hears about ended sessions and about successful requests (which keep the session alive). */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function emit(event: ClientEvent): void {
  for (const listener of listeners) listener(event);
}

function isApiError(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.code === 'string' && typeof record.message === 'string';
}

export interface RequestOptions {
  /** Do not announce a 401 to the session (used by the first session check, which handles it itself). */
  quietUnauthorised?: boolean;
  signal?: AbortSignal;
  /** More request headers, such as an Idempotency-Key. */
  headers?: Record<string, string>;
  /** Let the request finish after the page is left (a last save on `pagehide`). */
  keepalive?: boolean;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

async function request<T>(
  method: Method,
  path: string,
  schema: Schema<T>,
  body: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      cache: 'no-store',
      ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.keepalive ? { keepalive: true } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, {
      code: 'network_error',
      message: 'Tiaki could not be reached. Check your connection and try again.',
    });
  }

  const date = response.headers.get('Date');
  if (date) {
    const serverNow = Date.parse(date);
    if (!Number.isNaN(serverNow)) serverClockOffset = serverNow - Date.now();
  }

  let data: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    let body: ApiErrorBody;
    if (isApiError(data)) {
      body = data;
    } else if (response.status >= 502 && response.status <= 504) {
      // A proxy in front of Tiaki answered: Tiaki itself is down or restarting.
      body = { code: 'network_error', message: 'Tiaki could not be reached. Try again in a moment.' };
    } else {
      body = { code: 'unexpected_response', message: `The server answered with status ${response.status}.` };
    }
    const error = new ApiRequestError(response.status, body);
    if (error.endsSession && !options.quietUnauthorised) {
      emit({ type: 'unauthorised', code: error.code as 'not_signed_in' | 'session_expired' });
    }
    throw error;
  }

  emit({ type: 'activity', at: Date.now() });
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiRequestError(response.status, {
      code: 'unexpected_response',
      message: 'The server sent an answer Tiaki did not understand.',
    });
  }
  return parsed.data;
}

/**
 * Sends a file as the request body and hands back the raw answer, for answers that stream (such
 * as the JSON lines of an import). Carries the CSRF token like every other state-changing request.
 * A failure before streaming starts (a 4xx ApiError) is thrown as an ApiRequestError.
 */
export async function upload(
  path: string,
  file: Blob,
  contentType: string,
  options: { signal?: AbortSignal; accept?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: options.accept ?? 'application/json',
    'Content-Type': contentType,
  };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      cache: 'no-store',
      body: file,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, {
      code: 'network_error',
      message: 'Tiaki could not be reached. Check your connection and try again.',
    });
  }
  if (response.ok) {
    emit({ type: 'activity', at: Date.now() });
    return response;
  }
  let data: unknown;
  try {
    data = JSON.parse(await response.text()) as unknown;
  } catch {
    data = null;
  }
  const body: ApiErrorBody = isApiError(data)
    ? data
    : { code: 'unexpected_response', message: `The server answered with status ${response.status}.` };
  const error = new ApiRequestError(response.status, body);
  if (error.endsSession) {
    emit({ type: 'unauthorised', code: error.code as 'not_signed_in' | 'session_expired' });
  }
  throw error;
}

export const api = {
  get: <T>(path: string, schema: Schema<T>, options?: RequestOptions) =>
    request('GET', path, schema, undefined, options),
  post: <T>(path: string, schema: Schema<T>, body: unknown = {}, options?: RequestOptions) =>
    request('POST', path, schema, body, options),
  patch: <T>(path: string, schema: Schema<T>, body: unknown, options?: RequestOptions) =>
    request('PATCH', path, schema, body, options),
  put: <T>(path: string, schema: Schema<T>, body: unknown, options?: RequestOptions) =>
    request('PUT', path, schema, body, options),
  delete: <T>(path: string, schema: Schema<T>, options?: RequestOptions) =>
    request('DELETE', path, schema, undefined, options),
};

/** Builds a query string from the values that are set. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Wraps an element schema as a schema for `{ [key]: T[] }`, the shape of every list answer. */
export function listOf<K extends string, T>(key: K, item: Schema<T>): Schema<Record<K, T[]>> {
  return {
    safeParse(data: unknown) {
      const value = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : null;
      if (!Array.isArray(value)) return { success: false, error: new Error(`Expected a list in "${key}"`) };
      const items: T[] = [];
      for (const element of value) {
        const parsed = item.safeParse(element);
        if (!parsed.success) return parsed;
        items.push(parsed.data);
      }
      return { success: true, data: { [key]: items } as Record<K, T[]> };
    },
  };
}
