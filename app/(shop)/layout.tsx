import Link from 'next/link';
import { ShopperMenu } from '@/app/_components/ShopperMenu';

// The shop's frame; the admin dashboard has its own.
export default function ShopLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
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
    </>
  );
}
