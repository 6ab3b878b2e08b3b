/**
 * The size of a response body as the server declared it, never guessed: Content-Length where it
 * is present and means the body (RFC 9110 §8.6), nothing otherwise ("unknown size").
 */
import { isHeaderName } from './headerName';

export interface ResponseHead {
  method?: string;
  statusCode?: number;
  headers?: ReadonlyArray<{ name: string; value?: string }>;
}

/** Bytes of the body, or undefined when the response does not say. */
export function declaredBodySize(head: ResponseHead): number | undefined {
  // These have no body whatever Content-Length says (it then describes another response).
  if (head.method?.toUpperCase() === 'HEAD') return 0;
  const status = head.statusCode;
  if (status === 204 || status === 304 || (status !== undefined && status >= 100 && status < 200)) return 0;
  let size: number | undefined;
  for (const header of head.headers ?? []) {
    if (!isHeaderName(header.name, 'content-length')) continue;
    // "42, 42" and repeated headers are allowed when every value is the same; anything else is invalid.
    for (const part of (header.value ?? '').split(',')) {
      const text = part.trim();
      if (!/^\d{1,15}$/.test(text)) return undefined;
      const value = Number(text);
      if (size !== undefined && size !== value) return undefined;
      size = value;
    }
  }
  return size;
}
