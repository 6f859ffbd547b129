/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  // The web process compresses (scripts/front-gate.mjs), after it has hashed a page's inline
  // scripts for its Content-Security-Policy.
  compress: false,
  // No next/image in the app: the optimizer stays off (it would fetch any local path), and
  // were it turned on, only the product pictures could go through it.
  images: { unoptimized: true, localPatterns: [{ pathname: '/images/**' }] },
  // The Lua scripts are read at run time; copy them into the standalone build.
  outputFileTracingIncludes: { '/**': ['./lib/redis/scripts/**/*.lua'] },
  serverExternalPackages: ['ioredis', 'pg', '@prisma/adapter-pg'],
  // Static and ISR pages go out as `s-maxage=<revalidate>, stale-while-revalidate=<expire - revalidate>`:
  // a CDN keeps the shopper pages, refreshes them in the background, and never serves one
  // older than an hour.
  expireTime: 3600,
  async headers() {
    return [
      {
        // Product pictures in public/images: the browser keeps them an hour, a CDN a day.
        source: '/images/:path*',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=3600, s-maxage=86400, stale-while-revalidate=604800' }],
      },
    ];
  },
};

export default nextConfig;
