import { defineConfig } from 'prisma/config';

// The Prisma CLI does not read .env; `env('DATABASE_URL')` would throw when it is unset,
// and `prisma generate` must work without a database, hence the plain default.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flashgate',
  },
});
