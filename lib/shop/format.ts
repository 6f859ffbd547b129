// Formatting shared by the server-rendered pages and the client components: fixed locale
// and currency, so the server's HTML and the browser's first render agree.
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatPrice = (cents: number) => money.format(cents / 100);

/** `Tue, Dec 3, 02:00 PM UTC`; without a time zone, the runtime's own (the shopper's, in a browser). */
export function formatDateTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export const units = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`;

/** Shown for a sale without its own picture. */
export const PLACEHOLDER_IMAGE = '/images/placeholder.svg';
