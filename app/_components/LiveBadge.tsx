'use client';

import { useListedSaleState } from '@/lib/client/useSales';
import { STATE_LABEL } from '@/lib/shop/saleView';

/** A card's state badge, filled in by the browser. */
export function LiveBadge({ saleId }: { saleId: string }) {
  const state = useListedSaleState(saleId);
  if (!state) return null;
  return <span className={`badge card-badge badge-${state}`}>{STATE_LABEL[state]}</span>;
}
