import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'Flashgate',
  description: 'Flash sales: scarce stock, fair and fast',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
