import { unstable_cache } from 'next/cache';
import { prisma } from '../db/client';
import { notOver } from './catalog';
import type { SaleDetails, SaleRecord } from './types';

// Data for the static shopper pages: what changes only when an admin edits a sale. The live
// figures (state, stock) come from GET /api/sales/{id} in the browser, never from here.

/** Seconds a page's data is kept before a background refresh; an admin's edit refreshes it at once. */
export const PAGE_REVALIDATE_S = 60;

export const pageTags = {
  /** the list on the home page */
  catalog: 'catalog',
  sale: (saleId: string) => `sale:${saleId}`,
};

/** The shopper's details of a sale, plus its id and total stock. */
export type SalePageData = SaleDetails & { id: string; stock: number };

// The cache stores JSON, so dates travel as ISO strings.
const pageData = (s: SaleRecord): SalePageData => ({
  id: s.id,
  name: s.name,
  description: s.description,
  imageUrl: s.imageUrl,
  priceCents: s.priceCents,
  stock: s.stock,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt?.toISOString() ?? null,
  maxPerUser: s.maxPerUser,
});

const building = () => process.env.NEXT_PHASE === 'phase-production-build';
const BUILD_QUERY_TIMEOUT_MS = 5_000;

/**
 * `next build` prerenders the pages from the database. A build machine without one still
 * builds: the pages start empty and fill in on their first request. At run time an error is
 * thrown instead, so Next keeps serving the last good page.
 */
async function orFallbackAtBuild<T>(what: string, fallback: T, query: () => Promise<T>): Promise<T> {
  if (!building()) return query();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      query(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${BUILD_QUERY_TIMEOUT_MS} ms`)), BUILD_QUERY_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    const reason = String((err as Error).message).trim().split('\n').at(-1);
    console.warn(`build: ${what} skipped, the database did not answer (${reason}); pages render on first request`);
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

/** The sale page's data, or null for no such sale. */
export function getSaleForPage(saleId: string): Promise<SalePageData | null> {
  return unstable_cache(
    async () => {
      const sale = await prisma.sale.findUnique({ where: { id: saleId } });
      return sale ? pageData(sale) : null;
    },
    ['sale-page', saleId],
    { revalidate: PAGE_REVALIDATE_S, tags: [pageTags.sale(saleId)] },
  )();
}

const HOME_LIMIT = 48;

/** The home page's list: sales not ended, soonest first (their live state comes from the browser). */
export const listSalesForHome = unstable_cache(
  () =>
    orFallbackAtBuild('listing sales', [], async () => {
      const sales = await prisma.sale.findMany({
        where: notOver(),
        orderBy: { startsAt: 'asc' },
        take: HOME_LIMIT,
      });
      return sales.map(pageData);
    }),
  ['home-sales'],
  { revalidate: PAGE_REVALIDATE_S, tags: [pageTags.catalog] },
);

/** Sale pages to prerender at build time: the same sales the home page lists. */
export async function saleIdsToPrerender(): Promise<string[]> {
  return orFallbackAtBuild('prerendering sale pages', [], async () => {
    const sales = await prisma.sale.findMany({
      select: { id: true },
      where: notOver(),
      orderBy: { startsAt: 'asc' },
      take: HOME_LIMIT,
    });
    return sales.map((s) => s.id);
  });
}
