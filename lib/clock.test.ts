import { describe, expect, it } from 'vitest';
import {
  addSample,
  countdownAnnouncement,
  describeCountdown,
  estimateOffset,
  formatCountdown,
  sampleOffset,
  type ClockSample,
} from '@/lib/clock';

const HOUR = 3_600_000;

/** A round trip as a shopper whose clock is `skew` ms off would measure it. */
function roundTrip({ skew = 0, at = 1_000_000, up = 40, down = 40, cachedFor = 0 }): ClockSample {
  const serverTime = at + up - cachedFor; // the server stamped it `cachedFor` ms before it answered
  return { sentAt: at - skew, receivedAt: at + up + down - skew, serverTime };
}

describe('sampleOffset', () => {
  it('takes the midpoint of the round trip', () => {
    expect(sampleOffset({ sentAt: 1000, receivedAt: 1100, serverTime: 5050 })).toBe(4000);
  });

  it('recovers a shopper clock an hour fast or slow', () => {
    expect(sampleOffset(roundTrip({ skew: HOUR }))).toBe(HOUR);
    expect(sampleOffset(roundTrip({ skew: -HOUR }))).toBe(-HOUR);
  });
});

describe('estimateOffset', () => {
  it('is null without samples', () => {
    expect(estimateOffset([])).toBeNull();
  });

  it('is exact for a symmetric round trip', () => {
    expect(estimateOffset([roundTrip({ skew: HOUR, up: 120, down: 120 })])).toBe(HOUR);
  });

  it('errs by at most half the round trip when the way back is slow', () => {
    const offset = estimateOffset([roundTrip({ skew: 0, up: 10, down: 190 })])!;
    expect(Math.abs(offset)).toBeLessThanOrEqual(100);
  });

  it('prefers the fresh, quick answer over slow and cached ones', () => {
    const samples = [
      roundTrip({ skew: 5_000, at: 0, up: 30, down: 900 }), // slow way back
      roundTrip({ skew: 5_000, at: 2_000, up: 20, down: 20, cachedFor: 1_000 }), // a CDN kept it for a second
      roundTrip({ skew: 5_000, at: 4_000, up: 15, down: 15 }),
      roundTrip({ skew: 5_000, at: 6_000, up: 400, down: 30, cachedFor: 800 }),
    ];
    expect(estimateOffset(samples)).toBe(5_000);
  });

  it('cannot be pulled late by answers a cache held', () => {
    const samples = [roundTrip({ cachedFor: 900 }), roundTrip({ at: 2_000, cachedFor: 500 }), roundTrip({ at: 4_000, cachedFor: 0 })];
    expect(estimateOffset(samples)).toBe(0);
  });

  it('ignores a sample whose local clock ran backwards', () => {
    const broken = { sentAt: 2_000, receivedAt: 1_000, serverTime: 99_999_999 };
    expect(estimateOffset([broken, roundTrip({ skew: 250 })])).toBe(250);
  });
});

describe('addSample', () => {
  it('keeps only the latest samples', () => {
    let samples: ClockSample[] = [];
    for (let i = 0; i < 15; i++) samples = addSample(samples, roundTrip({ at: i * 1000 }), 10);
    expect(samples).toHaveLength(10);
    expect(samples[0].sentAt).toBe(5_000);
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '00:00'],
    [-5_000, '00:00'],
    [1, '00:01'],
    [999, '00:01'],
    [1_000, '00:01'],
    [1_001, '00:02'],
    [59_000, '00:59'],
    [60_000, '01:00'],
    [65_000, '01:05'],
    [HOUR - 1_000, '59:59'],
    [HOUR, '01:00:00'],
    [HOUR + 61_000, '01:01:01'],
    [23 * HOUR + 59 * 60_000 + 59_000, '23:59:59'],
    [24 * HOUR, '1d 00:00:00'],
    [2 * 24 * HOUR + 3 * HOUR + 4 * 60_000 + 5_000, '2d 03:04:05'],
  ])('%i ms -> %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('describeCountdown', () => {
  it.each([
    [0, 'now'],
    [1_000, '1 second'],
    [5_000, '5 seconds'],
    [60_000, '1 minute'],
    [125_000, '2 minutes 5 seconds'],
    [HOUR, '1 hour'],
    [2 * HOUR + 30 * 60_000 + 10_000, '2 hours 30 minutes'],
    [24 * HOUR + HOUR, '1 day 1 hour'],
    [3 * 24 * HOUR, '3 days'],
  ])('%i ms -> %s', (ms, words) => {
    expect(describeCountdown(ms)).toBe(words);
  });
});

describe('countdownAnnouncement', () => {
  it('changes in coarse steps, not every second', () => {
    const texts = new Set<string>();
    for (let ms = 50_000; ms > 40_000; ms -= 1_000) texts.add(countdownAnnouncement(ms));
    expect(texts).toEqual(new Set(['The sale opens in 50 seconds']));
    expect(countdownAnnouncement(4 * 60_000 + 10_000)).toBe('The sale opens in 5 minutes');
    expect(countdownAnnouncement(2 * HOUR + 1)).toBe('The sale opens in 3 hours');
    expect(countdownAnnouncement(3_000)).toBe('The sale opens in 10 seconds');
  });

  it('says when the sale opens', () => {
    expect(countdownAnnouncement(0)).toBe('The sale is open');
    expect(countdownAnnouncement(-1)).toBe('The sale is open');
  });
});
