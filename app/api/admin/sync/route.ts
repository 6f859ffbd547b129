import { syncNow } from '@/lib/admin/api/sync';
import { appRoute } from '@/lib/http/app';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ POST: syncNow });
