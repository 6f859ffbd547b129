'use client';

import { useEffect, useState } from 'react';
import { formatDateTime } from '@/lib/shop/format';

/**
 * A moment in the shopper's own time zone. The static HTML (and the first render, so
 * hydration matches) shows UTC; the browser then switches to local time.
 */
export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => formatDateTime(iso, 'UTC'));
  useEffect(() => setText(formatDateTime(iso)), [iso]);
  return <time dateTime={iso}>{text}</time>;
}
