'use client';

import Link from 'next/link';
import useSWR from 'swr';
import type { OrderView } from '@/lib/orders/lookup';
import type { SaleStatus } from '@/lib/sale/types';
import { units } from '@/lib/shop/format';
import { getJson, type HttpError } from './api';
import { LocalTime } from './LocalTime';
import { rememberShopper, useShopperEmail } from './shopper';
import { SignInForm } from './SignInForm';

// Stable identities: SWR restarts its polling timer when an option changes.
const whileQueued = (latest: OrderView[] | undefined) => (latest?.some((o) => o.status === 'queued') ? 1_500 : 0);
const forgetSessionOn401 = (err: HttpError) => {
  if (err.status === 401) rememberShopper(null);
};

/** The shopper's orders; polled while one is still being confirmed. */
export function OrdersView() {
  const email = useShopperEmail();
  const { data: orders, error, mutate } = useSWR<OrderView[], HttpError>(email ? '/api/me/orders' : null, getJson, {
    refreshInterval: whileQueued,
    refreshWhenHidden: false,
    onError: forgetSessionOn401,
  });
  if (email === undefined) return <p className="muted">Loading…</p>;
  if (email === null) return <SignInForm intro="Sign in with the email you bought with to see your orders." onSignedIn={() => mutate()} />;
  if (error) {
    return (
      <div className="outcome outcome-error" role="alert">
        <p className="outcome-title">We could not load your orders</p>
        <button type="button" className="button secondary" onClick={() => mutate()}>
          Try again
        </button>
      </div>
    );
  }
  if (!orders) return <p className="muted">Loading your orders…</p>;
  if (orders.length === 0) {
    return (
      <p className="empty">
        No orders yet. <Link href="/">See what is on sale</Link>
      </p>
    );
  }
  return (
    <ul className="order-list" aria-live="polite">
      {orders.map((o) => (
        <li key={o.orderId} className="order" data-order-id={o.orderId} data-status={o.status}>
          <div className="order-main">
            <Link href={`/sales/${o.saleId}`} className="order-sale">
              <SaleName saleId={o.saleId} />
            </Link>
            <span className="order-meta">
              {units(o.quantity)} · reserved <LocalTime iso={o.createdAt} />
            </span>
            <span className="order-id">Order {o.orderId}</span>
          </div>
          <span className={`badge badge-${o.status === 'confirmed' ? 'live' : 'scheduled'}`}>
            {o.status === 'confirmed' ? 'Confirmed' : 'Confirming…'}
          </span>
        </li>
      ))}
    </ul>
  );
}

const NAME_ONLY = { revalidateOnFocus: false, revalidateIfStale: false, shouldRetryOnError: false };

/**
 * An order carries only its sale's id; the name comes from the sale's status (one request per
 * sale, shared by its orders, cacheable by a CDN). A sale no longer loaded shows its id.
 */
function SaleName({ saleId }: { saleId: string }) {
  const { data } = useSWR<SaleStatus>(`/api/sales/${saleId}`, getJson, NAME_ONLY);
  return <>{data?.name ?? `Sale ${saleId}`}</>;
}
