import { AppError } from '../../errors';
import { readJson } from '../../http/body';
import { json } from '../../http/core';
import { withAdmin } from '../../http/handler';
import { saleIdParam } from '../../http/params';
import { commandSale, createSale, getSaleAudit, getSaleStats, listSalesForAdmin, updateSale } from '../../sale/admin';
import { isSaleCommand, SALE_COMMANDS } from '../../sale/commands';
import { createSaleInput, updateSaleInput } from '../../sale/schema';

/** GET /api/admin/sales: every sale with its live figures. */
export const salesOverview = withAdmin(async () => json(await listSalesForAdmin()));

/** POST /api/admin/sales: create a sale and load it into Redis. */
export const addSale = withAdmin(async (req, { actor }) => json(await createSale(await readJson(req, createSaleInput), actor), 201));

/** PATCH /api/admin/sales/{saleId}: edit details; stock may not drop below what is booked. */
export const saleEdit = withAdmin<{ saleId: string }>(async (req, { params, actor }) =>
  json(await updateSale(saleIdParam(params.saleId), await readJson(req, updateSaleInput), actor)),
);

/** POST /api/admin/sales/{saleId}/(start|pause|resume|end) */
export const saleCommand = withAdmin<{ saleId: string; command: string }>(async (_req, { params, actor }) => {
  const { command } = params;
  if (!isSaleCommand(command)) throw new AppError('not_found', `Unknown command; use one of ${SALE_COMMANDS.join(', ')}`);
  return json(await commandSale(saleIdParam(params.saleId), command, actor));
});

/** GET /api/admin/sales/{saleId}/stats: the live figures the dashboard polls. */
export const saleStats = withAdmin<{ saleId: string }>(async (_req, { params }) => json(await getSaleStats(saleIdParam(params.saleId))));

/** GET /api/admin/sales/{saleId}/audit: the sale's admin actions, newest first. */
export const saleAudit = withAdmin<{ saleId: string }>(async (_req, { params }) => json(await getSaleAudit(saleIdParam(params.saleId))));
