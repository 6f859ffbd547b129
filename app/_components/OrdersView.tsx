'use client';

import Link from 'next/link';
import { useShopperEmail } from '@/lib/client/shopper';
import { useMyOrders } from '@/lib/client/useOrders';
import { useSaleName } from '@/lib/client/useSales';
import { units } from '@/lib/shop/format';
import { LocalTime } from './LocalTime';
import { SignInForm } from './SignInForm';

/** The shopper's orders; polled while one is still being confirmed. */
export function OrdersView() {
  const email = useShopperEmail();
  const { data: orders, error, mutate } = useMyOrders(Boolean(email));
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

/** An order carries only its sale's id; a sale no longer loaded shows its id. */
function SaleName({ saleId }: { saleId: string }) {
  const name = useSaleName(saleId);
  return <>{name ?? `Sale ${saleId}`}</>;
}
