// The local product of the README's start command (scripts/start.sh: the
// backend on 7007, the app on 3000) that a browser suite runs against.
import { join } from 'node:path';
import { ROOT, startProcess, stopProcess, waitForUrl } from './processes.mjs';

export const APP_URL = 'http://localhost:3000';
/** The start command's backend: always 7007, whatever the suites' own backend port. */
const PRODUCT_BACKEND_URL = 'http://127.0.0.1:7007';

/**
 * True when the test command started one product for several browser suites
 * that only register entities and read (saves a backend start and an app
 * build per suite); a suite run on its own starts its own.
 */
export const productIsShared = () =>
  process.env.GOLDEN_PATH_E2E_PRODUCT === 'shared';

/**
 * Starts the product with scripts/start.sh (logged as test-results/<name>.log),
 * or joins the shared one, and waits until the backend is ready and the app
 * answers. Resolves with `stop()`, which leaves a shared product running.
 */
export async function startProduct(name) {
  const child = productIsShared()
    ? undefined
    : startProcess(name, 'bash', [join(ROOT, 'scripts/start.sh')]);
  await waitForUrl(`${PRODUCT_BACKEND_URL}/.backstage/health/v1/readiness`, {
    child,
  });
  await waitForUrl(APP_URL, { child, timeoutMs: 600_000 });
  return { stop: async () => child && stopProcess(child) };
}
