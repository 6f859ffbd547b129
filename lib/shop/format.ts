// The one home of money, time and count formatting, for the shop and the dashboard alike, on
// the server and in the browser: fixed locale and currency, so the server's HTML and the
// browser's first render agree.
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `$1,290.00` */
export const formatPrice = (cents: number) => money.format(cents / 100);

/** `1,290` */
export const formatCount = (n: number) => n.toLocaleString('en-US');

export const units = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`;

type DateTimeOptions = {
  /** Without one, the runtime's own (the viewer's, in a browser). */
  timeZone?: string;
  seconds?: boolean;
  /** Given, the year is shown when it is not `now`'s; without it, never (the server's year may not be the viewer's). */
  now?: number;
};

/** `Tue, Dec 3, 02:00 PM UTC`; `Tue, Dec 3, 2030, 02:00:09 PM CET` with seconds and a year not `now`'s. */
export function formatDateTime(iso: string, { timeZone, seconds = false, now }: DateTimeOptions = {}): string {
  const date = new Date(iso);
  const yearOf = (d: Date) => d.toLocaleString('en-US', { year: 'numeric', timeZone });
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: now !== undefined && yearOf(date) !== yearOf(new Date(now)) ? 'numeric' : undefined,
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

/** Shown for a sale without its own picture. */
export const PLACEHOLDER_IMAGE = '/images/placeholder.svg';
