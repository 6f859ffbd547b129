import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { ShopperMenu } from './_components/ShopperMenu';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Flashgate', template: '%s · Flashgate' },
  description: 'Flash sales: scarce stock, fair and fast',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#c2410c' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="site-header">
          <div className="site-header-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden="true">
                ⚡
              </span>
              Flashgate
            </Link>
            <nav aria-label="Main" className="site-nav">
              <Link href="/">Sales</Link>
              <Link href="/orders">My orders</Link>
            </nav>
            <ShopperMenu />
          </div>
        </header>
        <div id="main" className="site-main">
          {children}
        </div>
        <footer className="site-footer">
          <p>Flashgate · limited drops, one fair queue · prices in US dollars</p>
        </footer>
      </body>
    </html>
  );
}
