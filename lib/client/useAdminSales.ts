import useSWR from 'swr';
import type { AdminSaleRow } from '@/lib/sale/admin';
import { fetchJson, type HttpError } from './fetchJson';

/** Every sale with its live figures for the dashboard, refreshed every 2 s from the server's first list. */
export function useAdminSales(initial: AdminSaleRow[]) {
  return useSWR<AdminSaleRow[], HttpError>('/api/admin/sales', fetchJson, { fallbackData: initial, refreshInterval: 2_000 });
}
