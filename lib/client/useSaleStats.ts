import { useCallback, useState } from 'react';
import useSWR from 'swr';
import type { SaleStats } from '@/lib/sale/admin';
import type { AuditRow } from '@/lib/sale/audit';
import { fetchJson, type HttpError } from './fetchJson';

/** How far back the dashboard's charts look. */
export const HISTORY_MS = 5 * 60_000;

export type StatsSample = { t: number; ordersPerSecond: number; queued: number };

/**
 * A sale's figures for the dashboard during the rush: its stats polled every second (with the
 * last HISTORY_MS of them kept for the charts) and its audit log every five.
 */
export function useSaleStats(saleId: string) {
  const [history, setHistory] = useState<StatsSample[]>([]);
  const base = `/api/admin/sales/${saleId}`;
  const stats = useSWR<SaleStats, HttpError>(`${base}/stats`, fetchJson, {
    refreshInterval: 1_000,
    dedupingInterval: 500,
    onSuccess: (st) => {
      const t = Date.now();
      setHistory((h) => [...h.filter((p) => p.t > t - HISTORY_MS), { t, ordersPerSecond: st.ordersPerSecond, queued: st.queued }]);
    },
  });
  const audit = useSWR<AuditRow[], HttpError>(`${base}/audit`, fetchJson, { refreshInterval: 5_000 });

  const { mutate: refreshStats } = stats;
  const { mutate: refreshAudit } = audit;
  /** After a change: both now, not at their next poll. */
  const refresh = useCallback(() => {
    void refreshStats();
    void refreshAudit();
  }, [refreshStats, refreshAudit]);

  return { stats: stats.data, error: stats.error, history, audit: audit.data, refresh };
}
