import { defineConfig, devices } from '@playwright/test';
import { baseURL, serverEnv } from './e2e/env';

const CI = Boolean(process.env.CI);

// Debian's Chromium, never a downloaded browser. The resolver rule keeps it off the network
// (it would otherwise keep looking up Google's hosts); only the app on 127.0.0.1 is reachable.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/output/test-results',
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  // Tests wait on real countdowns; two at a time keeps them on time on a small machine.
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: CI ? [['list'], ['html', { outputFolder: 'e2e/output/report', open: 'never' }]] : [['list']],
  // A database, key prefix and port of the run's own (e2e/env.ts), removed at the end.
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node e2e/server.mjs',
    // A page that needs no database: globalSetup migrates the e2e database after this.
    url: `${baseURL}/orders`,
    reuseExistingServer: !CI,
    timeout: 240_000,
    env: serverEnv,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
