import type { Metadata } from 'next';
import { OrdersView } from '@/app/_components/OrdersView';

export const metadata: Metadata = { title: 'Your orders' };

// A static shell (the orders are the shopper's own, fetched by the browser). Refreshed now and
// then, so a CDN does not keep a shell that points at an old deployment's scripts for long.
export const revalidate = 300;

export default function OrdersPage() {
  return (
    <main className="page narrow">
      <h1>Your orders</h1>
      <p className="muted">An order is reserved the moment you buy; it shows as confirmed once it is stored.</p>
      <OrdersView />
    </main>
  );
}
