import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const LIMITS: { cookies: number; cookieBytes: number; headers: number; targetBytes: number; bodyBytes: number };
export const NO_SUCH_PAGE: string;
export class Refusal {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}
export function originForm(target: string): string | Refusal;
export function screenRequest(req: IncomingMessage, options: { trustedProxies: boolean }): Refusal | null;
export function salePageId(path: string): string | null;
export function sendRefusal(res: ServerResponse, refusal: Refusal): void;
export function answerClientError(err: Error & { code?: string }, socket: Socket): void;
export function createFrontGate(options?: {
  trustedProxies?: boolean;
  saleExists?: (id: string) => Promise<boolean> | undefined;
}): (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
