import { redirect } from 'next/navigation';
import { hasAdminSession } from '@/lib/auth/adminPage';
import { LoginForm } from '../_components/LoginForm';
import s from '../admin.module.css';

/** Only a path inside the dashboard may follow the sign-in (no open redirect). */
const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/admin(\/|\?|$)/.test(next) && !next.startsWith('/admin/login') ? next : '/admin';

export default async function AdminLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const next = safeNext((await searchParams).next);
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
