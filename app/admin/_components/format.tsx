'use client';

import { useEffect, useState } from 'react';

// Server and browser may sit in different time zones: render UTC until hydrated, then local time.
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export function When({ iso, seconds = false }: { iso: string | null; seconds?: boolean }) {
  const hydrated = useHydrated();
  if (!iso) return <span>—</span>;
  const d = new Date(iso);
  const text = hydrated
    ? d.toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        year: d.getFullYear() === new Date().getFullYear() ? undefined : 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        second: seconds ? '2-digit' : undefined,
      })
    : `${iso.slice(0, seconds ? 19 : 16).replace('T', ' ')} UTC`;
  return <time dateTime={iso}>{text}</time>;
}

export const decimal = (cents: number) => (cents / 100).toFixed(2);
export const money = (cents: number) => `$${decimal(cents)}`;
export const count = (n: number) => n.toLocaleString('en-US');

/** `YYYY-MM-DDTHH:mm` in the browser's zone, for <input type="datetime-local">. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
