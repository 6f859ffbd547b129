import Link from 'next/link';
import type { SalePageData } from '@/lib/sale/pages';
import { formatPrice, PLACEHOLDER_IMAGE } from '@/lib/shop/format';
import { LiveBadge } from './LiveBadge';
import { LocalTime } from './LocalTime';

/** A sale on the home page: static, with its live state filled in by the browser. */
export function SaleCard({ sale }: { sale: SalePageData }) {
  return (
    <article className="card">
      <Link href={`/sales/${sale.id}`} className="card-link">
        <img src={sale.imageUrl || PLACEHOLDER_IMAGE} alt="" width={480} height={360} className="card-image" />
        <span className="card-body">
          <span className="card-title">{sale.name}</span>
          <span className="card-price">{formatPrice(sale.priceCents)}</span>
          <span className="card-when">
            Starts <LocalTime iso={sale.startsAt} />
          </span>
        </span>
      </Link>
      <LiveBadge saleId={sale.id} />
    </article>
  );
}
