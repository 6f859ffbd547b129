export const SALE_STATES = ['scheduled', 'live', 'paused', 'sold_out', 'ended'] as const;
export type SaleState = (typeof SALE_STATES)[number];
export type SaleFlag = 'off' | 'armed' | 'paused' | 'ended';

/** A sale as PostgreSQL stores it (the Prisma row). */
export type SaleRecord = {
  id: string;
  name: string;
  description: string;
  imageUrl: string;
  priceCents: number;
  stock: number;
  startsAt: Date;
  endsAt: Date | null;
  maxPerUser: number;
  flag: SaleFlag;
  /** the row's version for loading into Redis (absent: always loaded) */
  updatedAt?: Date;
};

/** What a shopper's page needs; kept in Redis beside the live figures. */
export type SaleDetails = {
  name: string;
  description: string;
  imageUrl: string;
  priceCents: number;
  startsAt: string;
  endsAt: string | null;
  maxPerUser: number;
};

/** GET /api/sales/{id} */
export type SaleStatus = SaleDetails & {
  id: string;
  state: SaleState;
  stock: { total: number; remaining: number };
  serverTime: string;
};
