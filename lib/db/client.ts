import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

// TODO: take the URL from `env` (lib/config.ts) once it exists.
const connectionString =
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashgate';

// Next dev re-evaluates modules on every reload; keeping the client on globalThis stops each
// reload from opening a new pool.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma: PrismaClient =
  globalForPrisma.prisma ?? new PrismaClient({ adapter: new PrismaPg({ connectionString }) });

globalForPrisma.prisma = prisma;

export async function disconnectPrisma(): Promise<void> {
  await prisma.$disconnect();
}
