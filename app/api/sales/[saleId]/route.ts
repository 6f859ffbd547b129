import { appRoute } from '@/lib/http/app';
import { saleStatus } from '@/lib/shop/api/saleStatus';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ GET: saleStatus });
