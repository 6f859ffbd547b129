import { afterEach, describe, expect, it, vi } from 'vitest';
import { revalidateSalePages } from '@/lib/sale/revalidate';

afterEach(() => vi.restoreAllMocks());

describe('revalidateSalePages', () => {
  it('does nothing, quietly, outside a Next request (scripts, the worker, tests)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => revalidateSalePages('some-sale')).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });
});
