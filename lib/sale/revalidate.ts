import { revalidatePath, revalidateTag } from 'next/cache';
import { pageTags } from './pages';

/**
 * After an admin changes a sale: its page and the home page are rebuilt on their next
 * request, with fresh data. Outside a Next request (scripts, the worker, vitest) there are no
 * pages to refresh, so it does nothing; a failure never undoes the admin's change.
 */
export function revalidateSalePages(saleId: string): void {
  try {
    // expire 0: the next render must read the new row, not a stale cached copy of it.
    revalidateTag(pageTags.sale(saleId), { expire: 0 });
    revalidateTag(pageTags.catalog, { expire: 0 });
    revalidatePath(`/sales/${saleId}`);
    revalidatePath('/');
  } catch (err) {
    // Next's own wording for "called outside a request"; anything else is worth a line in the log.
    if (!/static generation store missing/.test((err as Error).message)) {
      console.warn(`could not revalidate the pages of sale ${saleId}:`, err);
    }
  }
}
