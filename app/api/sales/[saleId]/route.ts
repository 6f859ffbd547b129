import { appRoute } from '@/lib/http/app';
import { saleStatus } from '@/lib/shop/api/sales';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ GET: saleStatus });
