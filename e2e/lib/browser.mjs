// Debian chromium driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'gp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // A page load waits for the app's whole development bundle; beside the
  // other lane's Go builds on 2 cores it has taken over the default 30 s.
  context.setDefaultNavigationTimeout(120_000);
  return context;
}

/** Signs in as guest on the sign-in page and waits for the app's sidebar. */
export async function signInAsGuest(page) {
  const enter = page.getByRole('button', { name: 'Enter' });
  const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
  await enter
    .or(sidebar)
    .first()
    .waitFor({ state: 'attached', timeout: 120_000 });
  if (await enter.isVisible()) await enter.click();
  await sidebar.waitFor({ state: 'attached', timeout: 60_000 });
}
