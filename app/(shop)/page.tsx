import { SaleCard } from '@/app/_components/SaleCard';
import { listSalesForHome } from '@/lib/sale/pages';

// Static, rebuilt at most once a minute or at once when an admin changes a sale.
export const revalidate = 60;

export default async function HomePage() {
  const sales = await listSalesForHome();
  return (
    <main className="page">
      <section className="hero">
        <h1>Today’s drops</h1>
        <p>Limited stock at a fixed price. Everyone gets the same fair chance when the countdown ends.</p>
      </section>
      {sales.length === 0 ? (
        <p className="empty">No sales right now. Check back soon.</p>
      ) : (
        <ul className="sale-grid" aria-label="Current and upcoming sales">
          {sales.map((sale) => (
            <li key={sale.id}>
              <SaleCard sale={sale} />
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
