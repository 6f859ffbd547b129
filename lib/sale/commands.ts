// What an admin can tell a sale to do: the dashboard's buttons and POST
// /api/admin/sales/{id}/{command} both read this list (no server code here: the browser imports it).
export const SALE_COMMANDS = ['start', 'pause', 'resume', 'end'] as const;

export type SaleCommand = (typeof SALE_COMMANDS)[number];

export const isSaleCommand = (value: string): value is SaleCommand => (SALE_COMMANDS as readonly string[]).includes(value);
