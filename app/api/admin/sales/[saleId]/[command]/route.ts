import { AppError } from '@/lib/errors';
import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { saleIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { commandSale, type SaleCommand } from '@/lib/sale/admin';

const COMMANDS: readonly SaleCommand[] = ['start', 'pause', 'resume', 'end'];

// POST /api/admin/sales/[saleId]/(start|pause|resume|end)
export const POST = withAdmin<{ saleId: string; command: string }>(async (_req, { params, actor }) => {
  const command = COMMANDS.find((c) => c === params.command);
  if (!command) throw new AppError('not_found', `Unknown command; use one of ${COMMANDS.join(', ')}`);
  return json(await commandSale(saleIdParam(params.saleId), command, actor));
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = allMethods({ POST });
