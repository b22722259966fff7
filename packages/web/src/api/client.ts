import { errorMessage, type ErrorCode } from '@haitang/contracts';
import { getLocale, translate } from '../i18n';

/** An error response from the API: `{error:{code,message,details}}` (message already localised). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remember the CSRF token from the last login or /me response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 outside the login call (session expired → show the login page). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** `?a=1&b=x`, skipping empty values. */
export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': getLocale(), Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path + buildQuery(options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', translate(getLocale(), 'common.network'));
  }
  if (!response.ok) throw await toApiError(response, path);
  return response;
}

async function toApiError(response: Response, path: string): Promise<ApiError> {
  let code = 'INTERNAL';
  let message = '';
  let details: unknown;
  try {
    const json = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    code = json.error?.code ?? code;
    message = json.error?.message ?? '';
    details = json.error?.details;
  } catch {
    // not JSON (proxy error page etc.)
  }
  // A wrong password (login, change password) is a 401 too, but the session is still valid.
  if (response.status === 401 && code !== 'INVALID_CREDENTIALS' && !path.startsWith('/api/auth/login')) onUnauthenticated?.();
  if (!message) {
    const known = code as ErrorCode;
    try {
      message = errorMessage(known, getLocale(), {});
    } catch {
      message = `HTTP ${response.status}`;
    }
    if (!message) message = `HTTP ${response.status}`;
  }
  return new ApiError(response.status, code, message, details);
}

async function json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Typed JSON calls against the same-origin API. */
export const api = {
  get: <T>(path: string, query?: Query) => json<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => json<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, { body }),
  delete: <T>(path: string) => json<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => json<T>('POST', path, { form }),
};

/** GET a file and save it in the browser under the server's file name (or the fallback). */
export async function downloadFile(path: string, fallbackName: string, query?: Query): Promise<void> {
  const response = await send('GET', path, { query });
  const blob = await response.blob();
  const name = fileNameFrom(response.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? null;
}

/** The message to show for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
