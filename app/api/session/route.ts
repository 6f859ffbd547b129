import { appRoute } from '@/lib/http/app';
import { signIn, signOut } from '@/lib/shop/api/session';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ POST: signIn, DELETE: signOut });
