import useSWR from 'swr';
import type { SaleSummary } from '@/lib/sale/catalog';
import type { SaleState, SaleStatus } from '@/lib/sale/types';
import { fetchJson } from './fetchJson';

const LIST_OPTIONS = { refreshInterval: 10_000, refreshWhenHidden: false };
const NAME_ONLY = { revalidateOnFocus: false, revalidateIfStale: false, shouldRetryOnError: false };

/**
 * A sale's state for its card. Every card shares one GET /api/sales (SWR dedupes the key); a
 * sale that list does not hold (it is capped) asks for its own status instead.
 */
export function useListedSaleState(saleId: string): SaleState | undefined {
  const { data: list } = useSWR<SaleSummary[]>('/api/sales', fetchJson, LIST_OPTIONS);
  const listed = list?.find((s) => s.id === saleId)?.state;
  const { data: own } = useSWR<SaleStatus>(list && !listed ? `/api/sales/${saleId}` : null, fetchJson, LIST_OPTIONS);
  return listed ?? own?.state;
}

/**
 * A sale's name, for an order that carries only the sale's id: one request per sale, shared by
 * its orders, cacheable by a CDN. Undefined for a sale no longer loaded.
 */
export function useSaleName(saleId: string): string | undefined {
  return useSWR<SaleStatus>(`/api/sales/${saleId}`, fetchJson, NAME_ONLY).data?.name;
}
