'use client';

import Link from 'next/link';
import { useState } from 'react';
import { LocalTime } from '@/app/_components/LocalTime';
import { useAdminSales } from '@/lib/client/useAdminSales';
import type { AdminSale, AdminSaleRow } from '@/lib/sale/admin';
import { formatCount, formatPrice } from '@/lib/shop/format';
import { messageOf } from './messageOf';
import { SaleActions } from './SaleActions';
import { SaleForm } from './SaleForm';
import { Table, type Column } from './Table';
import s from '../admin.module.css';

const COLUMNS: Column[] = [
  { label: 'Sale' },
  { label: 'State' },
  ...['Price', 'Stock', 'Booked', 'Remaining', 'Confirmed', 'Queue'].map((label) => ({ label, numeric: true })),
  { label: 'Starts' },
  { label: 'Ends' },
  { label: 'Actions' },
];

/** /admin: every sale with its live figures (refreshed every 2 s), the create form, edit and commands. */
export function SalesDashboard({ initial }: { initial: AdminSaleRow[] }) {
  const { data: sales = initial, error, mutate } = useAdminSales(initial);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const saved = (verb: string) => (sale: AdminSale) => {
    setNotice(`${verb} “${sale.name}”.`);
    setEditing(null);
    void mutate();
  };

  return (
    <>
      <h1 className={s.title}>Sales</h1>
      <p className={`${s.muted} ${s.small}`}>
        Figures refresh every 2 seconds. Queue depth counts orders waiting for the worker; confirmed counts units stored in
        PostgreSQL.
      </p>
      {error && (
        <p className={s.formError} role="alert">
          {messageOf(error)}
        </p>
      )}
      {notice && (
        <p className={s.small} role="status">
          {notice}
        </p>
      )}
      <Table label="Sales" columns={COLUMNS}>
        {sales.length === 0 && (
          <tr>
            <td colSpan={COLUMNS.length} className={s.muted}>
              No sales yet: create one below.
            </td>
          </tr>
        )}
        {sales.map((sale) => (
          <SaleRow
            key={sale.id}
            sale={sale}
            editing={editing === sale.id}
            onEdit={() => setEditing(editing === sale.id ? null : sale.id)}
            onSaved={saved('Saved')}
            onChanged={() => void mutate()}
          />
        ))}
      </Table>

      <h2 className={s.section}>New sale</h2>
      <div className={s.card}>
        <SaleForm onSaved={saved('Created')} />
      </div>
    </>
  );
}

type RowProps = {
  sale: AdminSaleRow;
  editing: boolean;
  onEdit: () => void;
  onSaved: (sale: AdminSale) => void;
  onChanged: () => void;
};

function SaleRow({ sale, editing, onEdit, onSaved, onChanged }: RowProps) {
  return (
    <>
      <tr data-sale-id={sale.id}>
        <td className={s.name}>
          <Link href={`/admin/sales/${sale.id}`}>{sale.name}</Link>
        </td>
        <td>
          <span className={s.badge} data-state={sale.state}>
            {sale.state.replace('_', ' ')}
          </span>
        </td>
        <td className={s.num}>{formatPrice(sale.priceCents)}</td>
        <td className={s.num}>{formatCount(sale.stock)}</td>
        <td className={s.num} data-figure="booked">
          {formatCount(sale.booked)}
        </td>
        <td className={s.num}>{formatCount(sale.remaining)}</td>
        <td className={s.num}>{formatCount(sale.confirmed)}</td>
        <td className={s.num}>{formatCount(sale.queued)}</td>
        <td>
          <LocalTime iso={sale.startsAt} />
        </td>
        <td>
          <LocalTime iso={sale.endsAt} />
        </td>
        <td>
          <div className={s.actions}>
            <SaleActions sale={sale} onChanged={onChanged} />
            {sale.state !== 'ended' && (
              <button type="button" className={s.button} onClick={onEdit} aria-expanded={editing} aria-label={`Edit ${sale.name}`}>
                Edit
              </button>
            )}
          </div>
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={COLUMNS.length} className={s.wrap}>
            <SaleForm sale={sale} onSaved={onSaved} onCancel={onEdit} />
          </td>
        </tr>
      )}
    </>
  );
}
