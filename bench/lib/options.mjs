// The command line of a bench script: its options, --help, and whole-number
// checks, each bad argument refused with one line naming it and the usage.
import { parseArgs } from 'node:util';

/**
 * Parses `process.argv` for `script` (e.g. 'bench/fleet.mjs'): `options` as
 * node:util parseArgs takes them; `wholeNumbers` maps an option to its
 * `{ min, max }`. --help prints `usage` and exits 0; anything else wrong
 * prints one line and exits 2.
 */
export function benchOptions(script, { usage, options, wholeNumbers = {} }) {
  const refuse = why => {
    console.error(`${script}: ${why}; usage: ${usage}`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    refuse(e.message.split('\n')[0].replace(/\. To specify .*$/, ''));
  }
  if (values.help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  for (const [name, { min = 1, max = Infinity }] of Object.entries(
    wholeNumbers,
  )) {
    const v = values[name];
    if (v === undefined) continue;
    if (!/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max)
      refuse(
        `--${name} ${v} is not a whole number from ${min}${
          max === Infinity ? ' up' : ` to ${max}`
        }`,
      );
  }
  return values;
}
