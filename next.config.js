/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // The Lua scripts are read at run time; copy them into the standalone build.
  outputFileTracingIncludes: { '/**': ['./lib/redis/scripts/**/*.lua'] },
  serverExternalPackages: ['ioredis', 'pg', '@prisma/adapter-pg'],
};

export default nextConfig;
