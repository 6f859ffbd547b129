// The worst header shapes a stranger can send for free (test/hostile/resources.db.test.ts
// bounds their CPU, npm run bench:headers measures it): each next to the plain request it is
// compared with. The Host header is the caller's.
export const HEADER_SHAPES: Record<string, [string, string][]> = {
  'plain GET /api/health': [],
  '1,500 cookie pairs (~12 KB)': [['Cookie', Array.from({ length: 1_500 }, (_, i) => `c${i.toString(36)}=${i % 10}`).join('; ')]],
  '120 header lines': Array.from({ length: 120 }, (_, i): [string, string] => [`X-Filler-${i}`, `value-${i}`]),
  'a 15.5 KB Cookie header (31 cookies)': [['Cookie', Array.from({ length: 31 }, (_, i) => `k${i}=${'v'.repeat(495)}`).join('; ')]],
};
