import { redirect } from 'next/navigation';
import { safeAdminNext } from '@/lib/auth/adminNext';
import { hasAdminSession } from '@/lib/auth/adminPage';
import { LoginForm } from '../_components/LoginForm';
import s from '../admin.module.css';

export default async function AdminLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const next = safeAdminNext((await searchParams).next);
  if (await hasAdminSession()) redirect(next);
  return (
    <main className={`${s.shell} ${s.login}`}>
      <p className={s.brand}>
        Flash<span>gate</span> admin
      </p>
      <h1 className={s.title}>Sign in</h1>
      <LoginForm next={next} />
    </main>
  );
}
