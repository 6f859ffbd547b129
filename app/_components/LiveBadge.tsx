'use client';

import useSWR from 'swr';
import type { SaleSummary } from '@/lib/sale/catalog';
import { STATE_LABEL } from '@/lib/shop/saleView';
import { getJson } from './api';

/** A card's state badge. Every card shares one GET /api/sales (SWR dedupes the key). */
export function LiveBadge({ saleId }: { saleId: string }) {
  const { data } = useSWR<SaleSummary[]>('/api/sales', getJson, { refreshInterval: 10_000, refreshWhenHidden: false });
  const state = data?.find((s) => s.id === saleId)?.state;
  if (!state) return null;
  return <span className={`badge card-badge badge-${state}`}>{STATE_LABEL[state]}</span>;
}
