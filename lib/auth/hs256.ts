import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

// HS256 JWT verification with node:crypto, synchronously. jose's jwtVerify goes through
// WebCrypto, whose HMAC runs as an async job on the thread pool: a fifth of a web process's
// CPU on the purchase path (`npm run bench:profile`). Tokens are still made by jose. Like
// jwtVerify(token, key, { algorithms: ['HS256'] }) it refuses any other alg, a bad signature,
// an expired or not-yet-valid token and non-object claims; it also refuses the crit/b64
// header extensions, which no token of ours carries.
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, unpadded base64url

export type JwtClaims = Record<string, unknown>;

export const hs256Key = (secret: Uint8Array): KeyObject => createSecretKey(secret);

function decodeObject(segment: string): JwtClaims | null {
  if (!SEGMENT.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JwtClaims) : null;
  } catch {
    return null;
  }
}

/** The claims of a validly signed, current HS256 token, else null. */
export function verifyHs256(token: string, key: KeyObject, nowMs = Date.now()): JwtClaims | null {
  const [header, payload, signature, extra] = token.split('.');
  if (extra !== undefined || !header || !payload || !signature || !SIGNATURE.test(signature)) return null;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  if (!timingSafeEqual(Buffer.from(signature, 'base64url'), expected)) return null;
  const protectedHeader = decodeObject(header);
  if (protectedHeader?.alg !== 'HS256' || protectedHeader.crit !== undefined || protectedHeader.b64 !== undefined) return null;
  const claims = decodeObject(payload);
  if (!claims) return null;
  const now = Math.floor(nowMs / 1000);
  const { exp, nbf, iat } = claims;
  if (exp !== undefined && (typeof exp !== 'number' || exp <= now)) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return null;
  if (iat !== undefined && typeof iat !== 'number') return null;
  return claims;
}
