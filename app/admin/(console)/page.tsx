import { requireAdminPage } from '@/lib/auth/adminPage';
import { listSalesForAdmin } from '@/lib/sale/admin';
import { SalesDashboard } from '../_components/SalesDashboard';

export default async function AdminHome() {
  await requireAdminPage();
  return <SalesDashboard initial={await listSalesForAdmin()} />;
}
