'use client';

import useSWR from 'swr';
import type { SaleSummary } from '@/lib/sale/catalog';
import type { SaleStatus } from '@/lib/sale/types';
import { STATE_LABEL } from '@/lib/shop/saleView';
import { getJson } from './api';

const LIST_OPTIONS = { refreshInterval: 10_000, refreshWhenHidden: false };

/**
 * A card's state badge. Every card shares one GET /api/sales (SWR dedupes the key); a sale
 * that list does not hold (it is capped) asks for its own status instead.
 */
export function LiveBadge({ saleId }: { saleId: string }) {
  const { data: list } = useSWR<SaleSummary[]>('/api/sales', getJson, LIST_OPTIONS);
  const listed = list?.find((s) => s.id === saleId)?.state;
  const { data: own } = useSWR<SaleStatus>(list && !listed ? `/api/sales/${saleId}` : null, getJson, LIST_OPTIONS);
  const state = listed ?? own?.state;
  if (!state) return null;
  return <span className={`badge card-badge badge-${state}`}>{STATE_LABEL[state]}</span>;
}
