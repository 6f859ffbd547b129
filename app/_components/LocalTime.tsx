'use client';

import { useEffect, useState } from 'react';
import { formatDateTime } from '@/lib/shop/format';

/**
 * A moment in the viewer's own time zone, for the shop and the dashboard. The server's HTML
 * (and the first render, so hydration matches) shows UTC; the browser then switches to local
 * time. No moment (a sale without an end) shows a dash.
 */
export function LocalTime({ iso, seconds = false }: { iso: string | null; seconds?: boolean }) {
  const [text, setText] = useState(() => iso && formatDateTime(iso, { timeZone: 'UTC', seconds }));
  useEffect(() => setText(iso && formatDateTime(iso, { seconds, now: Date.now() })), [iso, seconds]);
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{text}</time>;
}
