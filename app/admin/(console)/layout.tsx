import Link from 'next/link';
import { requireAdminPage } from '@/lib/auth/adminPage';
import { SignOutButton } from '../_components/SignOutButton';
import s from '../admin.module.css';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await requireAdminPage();
  return (
    <div className={s.shell}>
      <header className={s.topbar}>
        <Link href="/admin" className={s.brand}>
          Flash<span>gate</span> admin
        </Link>
        <SignOutButton />
      </header>
      <main>{children}</main>
    </div>
  );
}
