import { appRoute } from '@/lib/http/app';
import { shopperOrder } from '@/lib/shop/api/orders';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ GET: shopperOrder });
