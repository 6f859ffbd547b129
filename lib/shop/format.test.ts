import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatPrice, units } from '@/lib/shop/format';

describe('formatPrice', () => {
  it('writes cents as US dollars, the same on every runtime', () => {
    expect(formatPrice(12_900)).toBe('$129.00');
    expect(formatPrice(123_456_789)).toBe('$1,234,567.89');
    expect(formatPrice(5)).toBe('$0.05');
  });
});

describe('formatCount and units', () => {
  it('group thousands and name the unit', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(units(1)).toBe('1 unit');
    expect(units(3)).toBe('3 units');
  });
});

describe('formatDateTime', () => {
  const iso = '2030-12-03T14:00:09.000Z';

  it('names the zone, so UTC on the server is never mistaken for local time', () => {
    expect(formatDateTime(iso, { timeZone: 'UTC' })).toBe('Tue, Dec 3, 02:00 PM UTC');
    expect(formatDateTime(iso, { timeZone: 'Asia/Tokyo' })).toBe('Tue, Dec 3, 11:00 PM GMT+9');
  });

  it('adds seconds when asked', () => {
    expect(formatDateTime(iso, { timeZone: 'UTC', seconds: true })).toBe('Tue, Dec 3, 02:00:09 PM UTC');
  });

  it('adds the year only when it is not the year of `now`, in the zone shown', () => {
    expect(formatDateTime(iso, { timeZone: 'UTC', now: Date.parse('2030-06-01T00:00:00Z') })).toBe('Tue, Dec 3, 02:00 PM UTC');
    expect(formatDateTime(iso, { timeZone: 'UTC', now: Date.parse('2029-12-31T00:00:00Z') })).toBe('Tue, Dec 3, 2030, 02:00 PM UTC');
    // 23:30 UTC on Dec 31 is already next year in Tokyo.
    const newYearsEve = '2030-12-31T23:30:00.000Z';
    expect(formatDateTime(newYearsEve, { timeZone: 'UTC', now: Date.parse('2030-12-01T00:00:00Z') })).not.toContain('2030');
    expect(formatDateTime(newYearsEve, { timeZone: 'Asia/Tokyo', now: Date.parse('2030-12-01T00:00:00Z') })).toContain('2031');
  });
});
