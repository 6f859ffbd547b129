import { z } from 'zod';

// One schema for the admin API and the dashboard's form, so both say the same thing.
const when = z.coerce.date({ error: 'must be a date (ISO 8601)' });

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
