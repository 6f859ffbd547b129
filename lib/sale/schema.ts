import { z } from 'zod';

// One schema for the admin API and the dashboard's form, so both say the same thing.
// A date as an ISO string (or epoch ms), within what PostgreSQL and JavaScript both hold:
// `null`, `true` or year -10000 must be a 400, not a 1970 date or a database error.
const when = z
  .union([z.string(), z.number()], { error: 'must be a date (ISO 8601)' })
  .pipe(
    z.coerce
      .date<string | number>({ error: 'must be a date (ISO 8601)' })
      .min(new Date('2000-01-01T00:00:00Z'), 'must be in the year 2000 or later')
      .max(new Date('9999-12-31T23:59:59Z'), 'must be before the year 10000'),
  );

const saleFields = {
  name: z.string().trim().min(1, 'name is required').max(120),
  description: z.string().max(4_000).default(''),
  imageUrl: z
    .string()
    .max(500)
    .regex(/^(\/[\w./-]*|https:\/\/\S+)$/, 'imageUrl must be a path under public/ or an https URL')
    .default(''),
  priceCents: z.number().int().min(0).max(100_000_000),
  stock: z.number().int().min(0).max(10_000_000),
  startsAt: when,
  endsAt: when.nullable().optional(),
  maxPerUser: z.number().int().min(1).max(1_000).default(1),
};

const endsAfterStart = (s: { startsAt?: Date; endsAt?: Date | null }) =>
  !s.startsAt || !s.endsAt || s.endsAt > s.startsAt;
const endsAfterStartError = { message: 'endsAt must be after startsAt', path: ['endsAt'] };

export const createSaleInput = z.object(saleFields).strict().refine(endsAfterStart, endsAfterStartError);
export type CreateSaleInput = z.infer<typeof createSaleInput>;

export const updateSaleInput = z
  .object({
    name: saleFields.name,
    description: z.string().max(4_000),
    imageUrl: saleFields.imageUrl.unwrap(),
    priceCents: saleFields.priceCents,
    stock: saleFields.stock,
    startsAt: when,
    endsAt: when.nullable(),
    maxPerUser: z.number().int().min(1).max(1_000),
  })
  .partial()
  .strict()
  .refine(endsAfterStart, endsAfterStartError);
export type UpdateSaleInput = z.infer<typeof updateSaleInput>;

export const purchaseInput = z
  .object({ quantity: z.number().int().min(1).max(1_000).default(1) })
  .strict();

export const sessionInput = z.object({ email: z.string().trim().toLowerCase().email().max(254) }).strict();

export const adminSignInInput = z.object({ password: z.string().min(1, 'password is required').max(500) }).strict();
