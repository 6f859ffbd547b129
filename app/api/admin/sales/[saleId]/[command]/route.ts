import { saleCommand } from '@/lib/admin/api/sales';
import { appRoute } from '@/lib/http/app';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ POST: saleCommand });
