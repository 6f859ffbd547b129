import { appRoute } from '@/lib/http/app';
import { saleList } from '@/lib/shop/api/sales';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ GET: saleList });
