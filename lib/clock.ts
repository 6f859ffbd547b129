// The shopper's countdown runs on the server's clock, not the shopper's: the sale status
// carries serverTime, and each poll is one sample for estimating how far the server's clock
// is ahead of the local one. Pure functions; the page supplies the local clock readings
// (a monotonic clock, so the shopper changing the system time mid-countdown does no harm).

export type ClockSample = {
  /** local clock when the request went out, ms */
  sentAt: number;
  /** local clock when the answer arrived, ms */
  receivedAt: number;
  /** the server's clock in the answer, ms since the epoch */
  serverTime: number;
};

/** Server clock minus local clock from one round trip, assuming the server answered midway. */
export function sampleOffset(s: ClockSample): number {
  return s.serverTime - (s.sentAt + s.receivedAt) / 2;
}

/**
 * The server stamped its time before the answer arrived, so `serverTime - receivedAt` never
 * exceeds the true offset: not for a slow answer, nor for one a cache kept for a second.
 */
const lowerBound = (s: ClockSample) => s.serverTime - s.receivedAt;

/**
 * The offset to count down with (server now = local now + offset), or null before any sample.
 * The sample with the highest lower bound is the freshest answer with the quickest way back;
 * its round-trip midpoint is the estimate. A cached or slow answer can therefore not pull
 * the countdown late, and a jittery network costs at most half the best round trip.
 */
export function estimateOffset(samples: readonly ClockSample[]): number | null {
  let best: ClockSample | null = null;
  for (const s of samples) {
    if (s.receivedAt < s.sentAt || !Number.isFinite(s.serverTime)) continue;
    if (!best || lowerBound(s) > lowerBound(best)) best = s;
  }
  return best ? sampleOffset(best) : null;
}

/** Keep the latest `keep` samples, so a server clock step or a suspended tab ages out. */
export function addSample(samples: readonly ClockSample[], sample: ClockSample, keep = 10): ClockSample[] {
  return [...samples, sample].slice(-keep);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whole seconds left, rounded up: the display shows 00:01 during the last second and 00:00 at the moment itself. */
export const secondsLeft = (ms: number) => Math.max(0, Math.ceil(ms / SECOND));

const pad = (n: number) => String(n).padStart(2, '0');

/** `04:05`, `03:04:05`, `2d 03:04:05`. */
export function formatCountdown(ms: number): string {
  const total = secondsLeft(ms);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const clock = `${pad(minutes)}:${pad(seconds)}`;
  if (days > 0) return `${days}d ${pad(hours)}:${clock}`;
  if (hours > 0) return `${pad(hours)}:${clock}`;
  return clock;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The same time in words for screen readers: `2 days 3 hours`, `4 minutes 5 seconds`. */
export function describeCountdown(ms: number): string {
  const total = secondsLeft(ms);
  if (total === 0) return 'now';
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const parts =
    days > 0
      ? [plural(days, 'day'), hours > 0 ? plural(hours, 'hour') : '']
      : hours > 0
        ? [plural(hours, 'hour'), minutes > 0 ? plural(minutes, 'minute') : '']
        : [minutes > 0 ? plural(minutes, 'minute') : '', seconds > 0 ? plural(seconds, 'second') : ''];
  return parts.filter(Boolean).join(' ');
}

/**
 * What an aria-live region says about a countdown. It changes in coarse steps (hours, then
 * minutes, then ten seconds), so a screen reader is told the time now and then, not every second.
 */
export function countdownAnnouncement(ms: number): string {
  if (ms <= 0) return 'The sale is open';
  const step = ms > HOUR ? HOUR : ms > MINUTE ? MINUTE : 10 * SECOND;
  const rounded = Math.ceil(ms / step) * step;
  return `The sale opens in ${ms > DAY ? 'about ' : ''}${describeCountdown(rounded)}`;
}
