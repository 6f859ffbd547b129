import { useCallback, useEffect, useRef, useState } from 'react';
import useSWR from 'swr';
import { addSample, estimateOffset, type ClockSample } from '@/lib/clock';
import type { SaleStatus } from '@/lib/sale/types';
import { fetchJson, type HttpError } from './fetchJson';

/** Local time from a monotonic clock: the shopper setting the system time does not move it. */
export const localNow = () => performance.timeOrigin + performance.now();

// Every open sale page polls; the status is cheap (one read-only Redis script) and a CDN may
// answer it from its one-second cache.
const POLL_MS = 1_500;

/**
 * The sale's live status (SWR, polled while the tab is visible) and the estimated offset of
 * the server's clock, from the serverTime of each answer.
 */
export function useSaleStatus(saleId: string) {
  const samples = useRef<ClockSample[]>([]);
  const [offset, setOffset] = useState<number | null>(null);
  // After a purchase the page wants the new stock now, not the browser's one-second-old copy.
  const bypassCache = useRef(false);

  const fetcher = useCallback(async (url: string): Promise<SaleStatus> => {
    const cache: RequestCache = bypassCache.current ? 'no-store' : 'default';
    bypassCache.current = false;
    const sentAt = localNow();
    const status = await fetchJson<SaleStatus>(url, { cache });
    samples.current = addSample(samples.current, { sentAt, receivedAt: localNow(), serverTime: Date.parse(status.serverTime) });
    setOffset(estimateOffset(samples.current));
    return status;
  }, []);

  const { data, error, mutate } = useSWR<SaleStatus, HttpError>(`/api/sales/${saleId}`, fetcher, {
    refreshInterval: POLL_MS,
    refreshWhenHidden: false,
    refreshWhenOffline: false,
    revalidateOnFocus: true,
    dedupingInterval: 500,
    keepPreviousData: true,
  });

  const refresh = useCallback(() => {
    bypassCache.current = true;
    void mutate();
  }, [mutate]);

  return { status: data, error, offset, refresh };
}

/** The estimated server clock, ticking while `running`; null until the offset is known. */
export function useServerNow(offset: number | null, running: boolean, tickMs = 250): number | null {
  const [now, setNow] = useState(() => (offset === null ? null : localNow() + offset));
  useEffect(() => {
    if (offset === null) return;
    const tick = () => setNow(localNow() + offset);
    tick();
    if (!running) return;
    const timer = setInterval(tick, tickMs);
    return () => clearInterval(timer);
  }, [offset, running, tickMs]);
  return now;
}
