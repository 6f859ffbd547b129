import { appRoute } from '@/lib/http/app';
import { purchase } from '@/lib/shop/api/purchase';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ POST: purchase });
