// The backend of a suite that renders into its own output folder: started
// once before the suite's tests, stopped after them, its timings reported.
import { after, before } from 'node:test';
import { mkdirSync, rmSync } from 'node:fs';
import { startReadyBackend, stopProcess } from './processes.mjs';
import { waitForTemplates } from './tasks.mjs';
import { reportTimings } from './timings.mjs';

/**
 * Registers the suite's hooks: before its tests, an empty `out` folder and the
 * backend (logged as `<suite>-backend`) ready on its free port (BACKEND_PORT
 * of e2e/lib/processes.mjs), and the catalog serving the `templates` named;
 * after them, the backend stopped and `timings` reported under `suite`.
 */
export function backendForSuite(suite, { out, timings, templates = [] }) {
  let backend;
  before(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    backend = await startReadyBackend(`${suite}-backend`);
    await waitForTemplates(backend, templates);
  });
  after(async () => {
    if (backend) await stopProcess(backend);
    reportTimings(suite, timings);
  });
}
