// Prints, for one failed suite, which tests failed and the first lines of
// why, so a CI summary that keeps only the end of the output still says what
// broke. Usage: node scripts/failure-digest.mjs RESULTS_DIR NAME
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [resultsDir, name] = process.argv.slice(2);
const MAX_TESTS = 6;
const MAX_LINES = 6;
const out = [];
const clip = s => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

function fromJest(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && !suite.assertionResults?.length) {
      out.push({ title: suite.name, why: (suite.message ?? '').split('\n') });
    }
    for (const a of suite.assertionResults ?? []) {
      if (a.status !== 'failed') continue;
      out.push({
        title: `${suite.name.replace(/^.*?\/(plugins|packages)\//, '$1/')}: ${
          a.fullName
        }`,
        why: (a.failureMessages?.[0] ?? '').split('\n'),
      });
    }
  }
}

function fromTap(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (!m) continue;
    const why = [];
    let inError = false;
    for (let j = i + 1; j < lines.length && j < i + 80; j++) {
      const l = lines[j].trim();
      if (l === '...') break;
      if (/^error:/.test(l)) {
        inError = true;
        const rest = l.replace(/^error:\s*(\|-|\|)?\s*/, '');
        if (rest) why.push(rest.replace(/^'|'$/g, ''));
      } else if (inError && /^[a-zA-Z]+:/.test(l) && !/^at /.test(l)) {
        inError = false;
      } else if (inError) {
        why.push(l);
      }
    }
    out.push({ title: m[2], why });
  }
}

/** The failures of `go test -json` output; false when `file` is not that (a suite's own JSON figures). */
function fromGoJson(file) {
  let events = 0;
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (!l.startsWith('{')) continue;
    let e;
    try {
      e = JSON.parse(l);
    } catch {
      continue;
    }
    if (typeof e.Action !== 'string') continue;
    events++;
    if (e.Action === 'fail') {
      out.push({ title: `${e.Package} ${e.Test ?? '(build)'}`, why: [] });
    }
  }
  return events > 0;
}

const base = join(resultsDir, name);
if (existsSync(`${base}.json`) && name === 'jest') fromJest(`${base}.json`);
else if (existsSync(`${base}.json`) && fromGoJson(`${base}.json`)) {
  // a Go module's tests
} else if (existsSync(`${base}.log`)) fromTap(`${base}.log`);

if (out.length === 0 && existsSync(`${base}.log`)) {
  // A suite (or the shared product) that failed without reporting a test: its
  // warnings and errors first, then its last lines, request logs left out
  // (a backend that never gets ready prints only its readiness polls).
  // eslint-disable-next-line no-control-regex
  const plain = l => l.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = readFileSync(`${base}.log`, 'utf8')
    .trimEnd()
    .split('\n')
    .map(plain)
    .filter(l => !/type="incomingRequest"/.test(l));
  const problems = lines.filter(l =>
    /\b(error|warn|fatal)\b|Error:|still initializing|taking longer|failed|refused/i.test(
      l,
    ),
  );
  if (problems.length)
    out.push({
      title: 'no failed test reported; its warnings and errors',
      why: problems.slice(0, MAX_LINES),
    });
  out.push({
    title: 'no failed test reported; the log ends with',
    why: lines.slice(-MAX_LINES),
  });
}
for (const { title, why } of out.slice(0, MAX_TESTS)) {
  console.log(`    ✗ ${clip(title)}`);
  for (const l of why.filter(w => w.trim()).slice(0, MAX_LINES)) {
    console.log(`        ${clip(l.trim())}`);
  }
}
if (out.length > MAX_TESTS)
  console.log(`    … and ${out.length - MAX_TESTS} more`);
