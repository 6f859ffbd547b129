import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireAdminPage } from '@/lib/auth/adminPage';
import { AppError } from '@/lib/errors';
import { SALE_ID } from '@/lib/ids';
import { getSaleForAdmin } from '@/lib/sale/admin';
import { LiveSale } from '../../../_components/LiveSale';

export default async function AdminSalePage({ params }: { params: Promise<{ saleId: string }> }) {
  await requireAdminPage();
  const { saleId } = await params;
  if (!SALE_ID.test(saleId)) notFound();
  const sale = await getSaleForAdmin(saleId).catch((err) => {
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  });
  return (
    <>
      <p>
        <Link href="/admin">← All sales</Link>
      </p>
      <LiveSale key={sale.id} initial={sale} />
    </>
  );
}
