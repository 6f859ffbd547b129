import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { SaleLive } from '@/app/_components/SaleLive';
import { SALE_ID } from '@/lib/ids';
import { getSaleForPage, saleIdsToPrerender } from '@/lib/sale/pages';
import { formatPrice, PLACEHOLDER_IMAGE } from '@/lib/shop/format';

// The refresh storm stops here: this page is static (prerendered, kept by the CDN) and carries
// nothing that changes by the second. The live part polls GET /api/sales/{id} in the browser.
export const revalidate = 60;
// Sales created after the build render on their first request, then stay static.
export const dynamicParams = true;

type Params = { params: Promise<{ saleId: string }> };

export async function generateStaticParams(): Promise<{ saleId: string }[]> {
  return (await saleIdsToPrerender()).map((saleId) => ({ saleId }));
}

async function saleOrNotFound(saleId: string) {
  const sale = SALE_ID.test(saleId) ? await getSaleForPage(saleId) : null;
  if (!sale) notFound();
  return sale;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const sale = await saleOrNotFound((await params).saleId);
  return { title: sale.name, description: sale.description.slice(0, 160) || `${sale.name} at ${formatPrice(sale.priceCents)}` };
}

export default async function SalePage({ params }: Params) {
  const sale = await saleOrNotFound((await params).saleId);
  return (
    <main className="page">
      <article className="product">
        <div className="product-media">
          <img
            src={sale.imageUrl || PLACEHOLDER_IMAGE}
            alt={sale.name}
            width={640}
            height={640}
            className="product-image"
            fetchPriority="high"
          />
        </div>
        <div className="product-info">
          <h1 className="product-name">{sale.name}</h1>
          <p className="product-price">{formatPrice(sale.priceCents)}</p>
          {sale.description && <p className="product-description">{sale.description}</p>}
          <SaleLive sale={sale} />
        </div>
      </article>
    </main>
  );
}
