import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { ADMIN_COOKIE, verifyAdminSession } from './adminSession';

export async function hasAdminSession(): Promise<boolean> {
  return verifyAdminSession((await cookies()).get(ADMIN_COOKIE)?.value);
}

/** The check every /admin page runs itself (the proxy's redirect is only a convenience). */
export async function requireAdminPage(): Promise<void> {
  if (!(await hasAdminSession())) redirect('/admin/login');
}
