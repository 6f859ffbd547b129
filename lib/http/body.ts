import type { z } from 'zod';
import { AppError } from '../errors';
import type { ApiRequest } from './core';

export const MAX_BODY_BYTES = 16 * 1024;

const tooLarge = () => new AppError('payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);

/**
 * The client hung up before sending the whole body: Node fails the request stream with
 * 'aborted' (code ECONNRESET), and the request counts as aborted once the connection
 * closes. Any other stream error is ours, and stays a logged 500.
 */
function isClientAbort(req: ApiRequest, err: unknown): boolean {
  if (req.aborted()) return true;
  return err instanceof Error && (err.message === 'aborted' || (err as NodeJS.ErrnoException).code === 'ECONNRESET');
}

/** Read the body once, refusing more than 16 KiB before parsing anything. */
async function readCapped(req: ApiRequest): Promise<string> {
  if (Number(req.header('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const body = req.body;
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Leaving the loop stops reading: nothing past the cap is kept.
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) break;
      chunks.push(chunk);
    }
  } catch (err) {
    if (isClientAbort(req, err)) throw new AppError('client_closed_request', 'The client closed the request before its body was complete');
    throw err;
  }
  if (size > MAX_BODY_BYTES) throw tooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

const unsupported = () => new AppError('unsupported_media_type', 'Send the body as Content-Type: application/json');

/**
 * Parse a JSON body with a zod schema. A body requires `Content-Type: application/json` (a
 * form post from another site cannot send it without a CORS preflight). When `emptyAllowed`,
 * no body at all counts as `{}`, with that content type or with none (`curl -X POST`): an
 * empty request carries nothing a form could smuggle, and the Origin check still applies.
 */
export async function readJson<S extends z.ZodType>(req: ApiRequest, schema: S, { emptyAllowed = false } = {}): Promise<z.infer<S>> {
  const contentType = req.header('content-type');
  const isJson = /^application\/json\s*(;|$)/i.test(contentType ?? '');
  if (!isJson && !(emptyAllowed && contentType === null)) throw unsupported();
  const text = await readCapped(req);
  if (text === '' && emptyAllowed) return parseWith(schema, {});
  if (!isJson) throw unsupported();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_request', 'The body is not valid JSON');
  }
  return parseWith(schema, value);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new AppError('invalid_request', detail);
  }
  return parsed.data;
}
