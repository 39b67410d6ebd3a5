/** fetch for the networks spoken over plain HTTP: the answer's status, headers and parsed body. */
import { errorForFailedRequest } from '../network.ts';

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when it is not JSON, null when empty: each network reads it through its own shape. */
  body: unknown;
}

export async function call(url: string, init: RequestInit, signal: AbortSignal): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal });
  } catch (err) {
    throw errorForFailedRequest(err);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw errorForFailedRequest(err); // cut mid-answer: the request did arrive
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's error page): keep the text for the message
  }
  return { status: res.status, headers: res.headers, body };
}
