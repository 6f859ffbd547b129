'use client';

import { useState } from 'react';
import { LocalTime } from '@/app/_components/LocalTime';
import { HISTORY_MS, useSaleStats } from '@/lib/client/useSaleStats';
import type { AdminSale, SaleStats } from '@/lib/sale/admin';
import type { AuditRow } from '@/lib/sale/audit';
import { formatCount, formatPrice } from '@/lib/shop/format';
import { LineChart } from './LineChart';
import { messageOf } from './messageOf';
import { SaleActions } from './SaleActions';
import { SaleForm } from './SaleForm';
import { Table } from './Table';
import s from '../admin.module.css';

/** /admin/sales/[id]: the sale during the rush, its figures polled every second. */
export function LiveSale({ initial }: { initial: AdminSale }) {
  const [sale, setSale] = useState(initial);
  const [editing, setEditing] = useState(false);
  const { stats, error, history, audit, refresh } = useSaleStats(sale.id);

  const changed = (next: AdminSale) => {
    setSale(next);
    setEditing(false);
    refresh();
  };
  const state = stats?.state ?? sale.state;

  return (
    <>
      <h1 className={s.title}>
        {sale.name}{' '}
        <span className={s.badge} data-state={state} data-testid="sale-state">
          {state.replace('_', ' ')}
        </span>
      </h1>
      <p className={`${s.muted} ${s.small}`}>
        {formatPrice(sale.priceCents)} · up to {sale.maxPerUser} per shopper · starts <LocalTime iso={sale.startsAt} /> · ends{' '}
        <LocalTime iso={sale.endsAt} />
      </p>
      <div className={s.actions}>
        <SaleActions sale={{ ...sale, state }} onChanged={changed} />
        {state !== 'ended' && (
          <button type="button" className={s.button} onClick={() => setEditing(!editing)} aria-expanded={editing}>
            Edit details
          </button>
        )}
      </div>
      {editing && (
        <div className={s.card} style={{ marginTop: 12 }}>
          <SaleForm sale={{ ...sale, booked: stats?.booked ?? sale.booked }} onSaved={changed} onCancel={() => setEditing(false)} />
        </div>
      )}

      <h2 className={s.section}>Live figures</h2>
      {error && (
        <p className={s.formError} role="alert">
          {messageOf(error)}
        </p>
      )}
      <Figures stats={stats} />

      <div className={s.charts} style={{ marginTop: 12 }}>
        <LineChart title="Orders stored per second" samples={history} value={(p) => p.ordersPerSecond} color="#c2410c" windowMs={HISTORY_MS} />
        <LineChart title="Queue depth (orders)" samples={history} value={(p) => p.queued} color="#3730a3" windowMs={HISTORY_MS} />
      </div>

      <h2 className={s.section}>Reconciliation</h2>
      {stats ? <Reconciliation stats={stats} /> : <p className={s.muted}>Waiting for the first figures…</p>}

      <h2 className={s.section}>Audit log</h2>
      <AuditLog rows={audit} />
    </>
  );
}

const FIGURES: [keyof SaleStats, string][] = [
  ['admitted', 'Admitted'],
  ['booked', 'Booked'],
  ['remaining', 'Remaining'],
  ['queued', 'Queued'],
  ['confirmed', 'Confirmed'],
  ['ordersPerSecond', 'Orders / s'],
];

function Figures({ stats }: { stats: SaleStats | undefined }) {
  return (
    <dl className={s.tiles} aria-label="Live figures">
      {FIGURES.map(([key, label]) => (
        <div className={s.tile} key={key}>
          <dt>{label}</dt>
          <dd data-figure={key}>{stats ? formatCount(Number(stats[key])) : '…'}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Redis's Booked against PostgreSQL: every booked unit is either confirmed or still an order
 * in Redis (queued, in a worker's hands, or a dead letter). The stats endpoint computes the
 * difference from one Redis snapshot, so orders in flight do not show as one.
 */
function Reconciliation({ stats }: { stats: SaleStats }) {
  const { booked, confirmed, difference, deadLetters } = stats;
  const pending = difference === null ? null : booked - confirmed - difference;
  return (
    <div className={s.card} data-testid="reconciliation">
      <p style={{ margin: 0 }}>
        Booked in Redis <strong>{formatCount(booked)}</strong> = confirmed in PostgreSQL <strong>{formatCount(confirmed)}</strong> + still
        only in Redis <strong>{pending === null ? '?' : formatCount(pending)}</strong> + difference{' '}
        <strong data-figure="difference">{difference === null ? '?' : formatCount(difference)}</strong>
      </p>
      <p style={{ margin: '6px 0 0' }}>
        {difference === null ? (
          <span className={s.warn}>Too many orders waiting to count on every poll; run npm run reconcile.</span>
        ) : difference === 0 ? (
          <span className={s.ok}>In balance: Redis and PostgreSQL agree.</span>
        ) : (
          <span className={s.warn}>Out of balance by {formatCount(difference)} units: run npm run reconcile.</span>
        )}{' '}
        {deadLetters > 0 && <span className={s.warn}>{formatCount(deadLetters)} dead letters wait for a sync.</span>}
      </p>
    </div>
  );
}

function describe(row: AuditRow): string {
  if (!row.after) return '';
  if (!row.before) return 'created';
  return Object.keys(row.after)
    .map((k) => `${k}: ${JSON.stringify(row.before?.[k])} → ${JSON.stringify(row.after?.[k])}`)
    .join('; ');
}

function AuditLog({ rows }: { rows: AuditRow[] | undefined }) {
  if (!rows) return <p className={s.muted}>Loading…</p>;
  return (
    <Table label="Audit log" columns={[{ label: 'When' }, { label: 'Who' }, { label: 'Action' }, { label: 'Changes' }]}>
      {rows.map((r) => (
        <tr key={r.id}>
          <td>
            <LocalTime iso={r.createdAt} seconds />
          </td>
          <td>{r.actor}</td>
          <td>{r.action}</td>
          <td className={s.wrap}>{describe(r)}</td>
        </tr>
      ))}
    </Table>
  );
}
