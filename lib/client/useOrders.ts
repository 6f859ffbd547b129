import useSWR from 'swr';
import type { OrderView } from '@/lib/orders/lookup';
import { fetchJson, type HttpError } from './fetchJson';
import { rememberShopper } from './shopper';

// Options are module-level so their identities are stable: SWR restarts its polling timer
// whenever one changes, and the components re-render with every countdown tick.
const whileQueued = (latest: OrderView[] | undefined) => (latest?.some((o) => o.status === 'queued') ? 1_500 : 0);
const untilConfirmed = (latest: OrderView | undefined) => (latest?.status === 'confirmed' ? 0 : 1_000);
const forgetSessionOn401 = (err: HttpError) => {
  if (err.status === 401) rememberShopper(null);
};

/** The shopper's orders (none asked for while signed out); polled while one is still being confirmed. */
export function useMyOrders(signedIn: boolean) {
  return useSWR<OrderView[], HttpError>(signedIn ? '/api/me/orders' : null, fetchJson, {
    refreshInterval: whileQueued,
    refreshWhenHidden: false,
    onError: forgetSessionOn401,
  });
}

/** One order, polled until the worker has stored it. */
export function useOrder(orderId: string) {
  return useSWR<OrderView, HttpError>(`/api/orders/${encodeURIComponent(orderId)}`, fetchJson, {
    refreshInterval: untilConfirmed,
    refreshWhenHidden: false,
  });
}
