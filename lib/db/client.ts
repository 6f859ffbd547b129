import { PrismaPg } from '@prisma/adapter-pg';
import { onProcessClose } from '../closeHooks';
import { env } from '../config';
import { PrismaClient } from './generated/client';

/** A client of its own (tests point one at a proxy they control); the app uses `prisma`. */
export function createPrismaClient(connectionString: string = env.DATABASE_URL): PrismaClient {
  // A database that does not answer is an error within seconds, never a hung request: on
  // connect, on a query, and on a connection that went silent (keep-alive probes).
  const adapter = new PrismaPg({
    connectionString,
    connectionTimeoutMillis: 3_000,
    query_timeout: 5_000,
    statement_timeout: 5_000,
    keepAlive: true,
  });
  return new PrismaClient({ adapter });
}

// Next dev re-evaluates modules on every reload; keeping the client on globalThis stops each
// reload from opening a new pool.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const prisma: PrismaClient = globalForPrisma.prisma ?? createPrismaClient();

globalForPrisma.prisma = prisma;
onProcessClose('database', () => prisma.$disconnect());

export async function disconnectPrisma(): Promise<void> {
  await prisma.$disconnect();
}
