import { appRoute } from '@/lib/http/app';
import { health } from '@/lib/shop/api/health';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ GET: health });
