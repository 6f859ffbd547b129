'use client';

import { useEffect, useId, useState } from 'react';
import { fetchJson } from '@/lib/client/fetchJson';
import type { AdminSale } from '@/lib/sale/admin';
import { createSaleInput, updateSaleInput } from '@/lib/sale/schema';
import { messageOf } from './messageOf';
import s from '../admin.module.css';

// One form for creating and editing a sale. It validates with the same zod schemas as the API,
// so the messages match; the API checks again (and alone knows what is booked right now).
type Fields = {
  name: string;
  description: string;
  imageUrl: string;
  price: string;
  stock: string;
  maxPerUser: string;
  startsAt: string;
  endsAt: string;
};
type FieldName = keyof Fields;

const EMPTY: Fields = { name: '', description: '', imageUrl: '', price: '', stock: '', maxPerUser: '1', startsAt: '', endsAt: '' };

/** `YYYY-MM-DDTHH:mm` in the browser's zone, for <input type="datetime-local">; `instant` reads it back. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const fieldsOf = (sale: AdminSale): Fields => ({
  name: sale.name,
  description: sale.description,
  imageUrl: sale.imageUrl,
  price: (sale.priceCents / 100).toFixed(2),
  stock: String(sale.stock),
  maxPerUser: String(sale.maxPerUser),
  startsAt: toLocalInput(sale.startsAt),
  endsAt: toLocalInput(sale.endsAt),
});

const number = (v: string) => (v.trim() === '' ? undefined : Number(v));
const instant = (v: string) => {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
};

/** What the API takes for each form field (the API's field names). */
const CONVERT: { [K in FieldName]: [apiName: string, (v: string) => unknown] } = {
  name: ['name', (v) => v],
  description: ['description', (v) => v],
  imageUrl: ['imageUrl', (v) => v.trim() || undefined], // none: the API's default (no image)
  price: ['priceCents', (v) => (v.trim() === '' ? undefined : Math.round(Number(v) * 100))],
  stock: ['stock', number],
  maxPerUser: ['maxPerUser', number],
  startsAt: ['startsAt', (v) => (v === '' ? undefined : instant(v))],
  endsAt: ['endsAt', (v) => (v === '' ? null : instant(v))],
};
const FIELD_OF_API = Object.fromEntries(Object.entries(CONVERT).map(([f, [api]]) => [api, f])) as Record<string, FieldName>;

function toBody(fields: Fields, only?: FieldName[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of only ?? (Object.keys(CONVERT) as FieldName[])) {
    const [api, convert] = CONVERT[f];
    const value = convert(fields[f]);
    if (value !== undefined || only) body[api] = value;
  }
  return body;
}

type Props = { sale?: AdminSale; onSaved: (sale: AdminSale) => void; onCancel?: () => void };

export function SaleForm({ sale, onSaved, onCancel }: Props) {
  const editing = sale !== undefined;
  const [fields, setFields] = useState<Fields>(() => (sale ? fieldsOf(sale) : EMPTY));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  // A new sale starts in an hour unless told otherwise (set after hydration: the browser's clock and zone).
  useEffect(() => {
    if (!editing) setFields((f) => (f.startsAt ? f : { ...f, startsAt: toLocalInput(new Date(Date.now() + 3_600_000).toISOString()) }));
  }, [editing]);

  const set = (f: FieldName) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setFields((prev) => ({ ...prev, [f]: e.target.value }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const initial = sale ? fieldsOf(sale) : null;
    const changed = initial ? (Object.keys(CONVERT) as FieldName[]).filter((f) => fields[f] !== initial[f]) : undefined;
    if (changed && changed.length === 0) {
      setErrors({});
      setFormError('Nothing changed.');
      return;
    }
    const body = toBody(fields, changed);
    const parsed = (editing ? updateSaleInput : createSaleInput).safeParse(body);
    const found: Partial<Record<FieldName, string>> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = FIELD_OF_API[String(issue.path[0])] ?? 'name';
        found[field] ??= issue.message;
      }
    }
    if (changed?.includes('imageUrl') && body.imageUrl === undefined) {
      found.imageUrl ??= 'An image can be replaced but not removed';
    }
    if (sale && body.stock !== undefined && Number(body.stock) < sale.booked) {
      found.stock ??= `Stock can be lowered only to what is already booked (${sale.booked})`;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    setBusy(true);
    try {
      const saved = editing
        ? await fetchJson<AdminSale>(`/api/admin/sales/${sale.id}`, { method: 'PATCH', body })
        : await fetchJson<AdminSale>('/api/admin/sales', { method: 'POST', body });
      if (!editing) setFields({ ...EMPTY, startsAt: fields.startsAt });
      onSaved(saved);
    } catch (err) {
      setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (f: FieldName, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}, full = false) => (
    <label className={`${s.field} ${full ? s.full : ''}`} htmlFor={`${id}-${f}`}>
      {label}
      <input
        id={`${id}-${f}`}
        name={f}
        value={fields[f]}
        onChange={set(f)}
        aria-invalid={errors[f] ? true : undefined}
        aria-describedby={errors[f] ? `${id}-${f}-error` : undefined}
        {...props}
      />
      {errors[f] && (
        <span id={`${id}-${f}-error`} className={s.fieldError} role="alert">
          {errors[f]}
        </span>
      )}
    </label>
  );

  return (
    <form className={s.form} onSubmit={submit} noValidate aria-label={editing ? 'Edit sale' : 'New sale'}>
      {input('name', 'Name', { autoComplete: 'off' })}
      {input('price', 'Price (US$)', { inputMode: 'decimal', placeholder: '129.00' })}
      {input('stock', editing ? `Stock (booked: ${sale.booked})` : 'Stock', { type: 'number', min: editing ? sale.booked : 0, step: 1 })}
      {input('maxPerUser', 'Max per shopper', { type: 'number', min: 1, step: 1 })}
      {input('startsAt', 'Starts at', { type: 'datetime-local' })}
      {input('endsAt', 'Ends at (optional)', { type: 'datetime-local' })}
      {input('imageUrl', 'Image (path under public/ or https URL)', { placeholder: '/images/sneaker.jpg' }, true)}
      <label className={`${s.field} ${s.full}`} htmlFor={`${id}-description`}>
        Description
        <textarea id={`${id}-description`} name="description" rows={2} value={fields.description} onChange={set('description')} />
        {errors.description && <span className={s.fieldError}>{errors.description}</span>}
      </label>
      <div className={s.formFooter}>
        <button type="submit" className={`${s.button} ${s.primary}`} disabled={busy}>
          {editing ? 'Save changes' : 'Create sale'}
        </button>
        {onCancel && (
          <button type="button" className={s.button} onClick={onCancel}>
            Cancel
          </button>
        )}
        {formError && (
          <p className={s.formError} role="alert">
            {formError}
          </p>
        )}
      </div>
    </form>
  );
}
