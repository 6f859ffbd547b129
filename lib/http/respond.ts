import { toResponse } from './app';
import { errorJson } from './core';

// The contract's JSON error as a web Response, for what answers outside the API core: the
// proxy, and the bench routes while they are off.
export const errorResponse = (err: unknown): Response => toResponse(errorJson(err));
