import type { Metadata } from 'next';

// Every admin page reads the session cookie and live figures: never static, never cached.
export const dynamic = 'force-dynamic';
export const fetchCache = 'force-no-store';

export const metadata: Metadata = { title: 'Flashgate admin', robots: { index: false, follow: false } };

export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return children;
}
