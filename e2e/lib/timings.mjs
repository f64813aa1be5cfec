// A suite's step timings: measured while it runs, reported when it ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './processes.mjs';

/** `timed(label, fn)`: runs `fn` and records its duration under `label` in `timings`. */
export function timer(timings) {
  return async function timed(label, fn) {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings.push(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
  };
}

/** Writes `timings` to test-results/<suite>-timings.txt and prints them as TAP comments. */
export function reportTimings(suite, timings) {
  writeFileSync(
    join(RESULTS_DIR, `${suite}-timings.txt`),
    `${timings.join('\n')}\n`,
  );
  process.stdout.write(
    `# ${suite} timings:\n${timings.map(t => `#   ${t}`).join('\n')}\n`,
  );
}
