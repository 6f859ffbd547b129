'use client';

import { useState } from 'react';
import { fetchJson } from '@/lib/client/fetchJson';
import type { AdminSale } from '@/lib/sale/admin';
import type { SaleCommand } from '@/lib/sale/commands';
import { ConfirmDialog } from './ConfirmDialog';
import { messageOf } from './messageOf';
import s from '../admin.module.css';

type SaleLike = Pick<AdminSale, 'id' | 'name' | 'state' | 'flag'>;

// Pause and end act on shoppers mid-purchase: they ask first.
const CONFIRM: Partial<Record<SaleCommand, { title: string; message: (name: string) => string; label: string }>> = {
  pause: {
    title: 'Pause this sale?',
    message: (name) => `Shoppers trying to buy “${name}” will be refused until you resume it.`,
    label: 'Pause sale',
  },
  end: {
    title: 'End this sale?',
    message: (name) => `“${name}” closes for good: an ended sale cannot be reopened.`,
    label: 'End sale',
  },
};

const LABEL: Record<SaleCommand, string> = { start: 'Start now', pause: 'Pause', resume: 'Resume', end: 'End' };

function commandsFor(sale: SaleLike): SaleCommand[] {
  if (sale.state === 'ended' || sale.flag === 'ended') return [];
  if (sale.flag === 'paused') return ['resume', 'end'];
  if (sale.state === 'scheduled') return ['start', 'pause', 'end'];
  return ['pause', 'end'];
}

export function SaleActions({ sale, onChanged }: { sale: SaleLike; onChanged: (sale: AdminSale) => void }) {
  const [asking, setAsking] = useState<SaleCommand | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(command: SaleCommand) {
    setAsking(null);
    setBusy(true);
    setError(null);
    try {
      onChanged(await fetchJson<AdminSale>(`/api/admin/sales/${sale.id}/${command}`, { method: 'POST' }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const commands = commandsFor(sale);
  const confirm = asking ? CONFIRM[asking] : undefined;
  return (
    <div className={s.actions}>
      {commands.map((c) => (
        <button
          key={c}
          type="button"
          className={`${s.button} ${c === 'end' ? s.danger : ''}`}
          disabled={busy}
          onClick={() => (CONFIRM[c] ? setAsking(c) : run(c))}
          aria-label={`${LABEL[c]} ${sale.name}`}
        >
          {LABEL[c]}
        </button>
      ))}
      {commands.length === 0 && <span className={s.muted}>—</span>}
      {error && (
        <span className={s.fieldError} role="alert">
          {error}
        </span>
      )}
      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm?.title ?? ''}
        message={confirm?.message(sale.name) ?? ''}
        confirmLabel={confirm?.label ?? ''}
        onConfirm={() => asking && run(asking)}
        onCancel={() => setAsking(null)}
      />
    </div>
  );
}
