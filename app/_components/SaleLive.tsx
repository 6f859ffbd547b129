'use client';

import { useSaleStatus, useServerNow } from '@/lib/client/useSaleStatus';
import { countdownAnnouncement, describeCountdown, formatCountdown } from '@/lib/clock';
import type { SalePageData } from '@/lib/sale/pages';
import { displayState, STATE_ANNOUNCEMENT, STATE_LABEL } from '@/lib/shop/saleView';
import { BuyPanel } from './BuyPanel';
import { LocalTime } from './LocalTime';

/**
 * The live part of a static sale page: state, countdown, stock and the buy button. Nothing
 * here is in the HTML; it all comes from GET /api/sales/{id} in the browser.
 */
export function SaleLive({ sale }: { sale: SalePageData }) {
  const { status, error, offset, refresh } = useSaleStatus(sale.id);
  const startsAt = status?.startsAt ?? sale.startsAt;
  const endsAt = status?.endsAt ?? sale.endsAt;
  const ticking = status ? status.state === 'scheduled' || (status.state === 'live' && endsAt !== null) : false;
  const serverNow = useServerNow(offset, ticking);
  const state = status ? displayState(status, serverNow) : null;
  const msToStart = serverNow === null ? null : Date.parse(startsAt) - serverNow;
  const msToEnd = serverNow === null || !endsAt ? null : Date.parse(endsAt) - serverNow;
  const total = status?.stock.total ?? sale.stock;
  const remaining = status ? status.stock.remaining : null;

  return (
    <section className="live" aria-label="Sale status" data-state={state ?? 'loading'}>
      <div className="live-head">
        <span className={`badge badge-${state ?? 'loading'}`}>{state ? STATE_LABEL[state] : 'Checking…'}</span>
        {error && <span className="live-warning">Live figures unavailable, retrying…</span>}
      </div>

      {state === 'scheduled' && msToStart !== null && (
        <div className="countdown-box">
          <p className="countdown-label">{msToStart > 0 ? 'Opens in' : 'Opening shortly'}</p>
          <p className="countdown" role="timer" aria-label={`Opens in ${describeCountdown(msToStart)}`} data-ms={Math.round(msToStart)}>
            {formatCountdown(msToStart)}
          </p>
        </div>
      )}
      {/* Spoken in coarse steps; the ticking digits above are not announced. */}
      <p className="sr-only" aria-live="polite">
        {state === 'scheduled' ? (msToStart === null ? '' : countdownAnnouncement(msToStart)) : state ? STATE_ANNOUNCEMENT[state] : ''}
      </p>

      <dl className="times">
        <div>
          <dt>Starts</dt>
          <dd>
            <LocalTime iso={startsAt} />
          </dd>
        </div>
        {endsAt && (
          <div>
            <dt>Ends</dt>
            <dd>
              <LocalTime iso={endsAt} />
              {state === 'live' && msToEnd !== null && msToEnd > 0 && (
                <span className="ends-in"> (in {formatCountdown(msToEnd)})</span>
              )}
            </dd>
          </div>
        )}
      </dl>

      <StockBar total={total} remaining={remaining} />

      <BuyPanel
        saleId={sale.id}
        state={state}
        maxPerUser={status?.maxPerUser ?? sale.maxPerUser}
        remaining={remaining}
        onSettled={refresh}
      />
    </section>
  );
}

function StockBar({ total, remaining }: { total: number; remaining: number | null }) {
  const left = remaining ?? total;
  const share = total > 0 ? left / total : 0;
  const low = remaining !== null && remaining > 0 && share <= 0.1;
  return (
    <div className={`stock${low ? ' stock-low' : ''}`}>
      <p className="stock-text">
        {remaining === null ? `${total} available` : remaining === 0 ? 'None left' : low ? `Only ${remaining} left!` : `${remaining} of ${total} left`}
      </p>
      <div className="stock-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    </div>
  );
}
