import { dashboardSignOutEverywhere } from '@/lib/admin/api/session';
import { appRoute } from '@/lib/http/app';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ DELETE: dashboardSignOutEverywhere });
