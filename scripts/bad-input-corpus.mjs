#!/usr/bin/env node
// Counts the bad-input corpus of a test run: every passed test case that feeds
// hostile or malformed input to the actions, the insights backend or the
// templates, grouped by category. A case belongs to the corpus when its file is
// a badInput.test.ts, or when it sits under a describe/suite whose title starts
// with "bad input" (jest) or is one of the e2e suites of refused values.
// Reads test-results/jest.json and the TAP logs of the node suites; prints the
// table and exits non-zero when fewer than the minimum passed.
//
// Usage: node scripts/bad-input-corpus.mjs <test-results dir> [minimum]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const results = process.argv[2] ?? 'test-results';
const minimum = Number(process.argv[3] ?? 150);
const CORPUS_TITLE = /^(bad input|refuses bad values)/i;
const counts = new Map();
const add = category => counts.set(category, (counts.get(category) ?? 0) + 1);

// jest: every package's unit tests
const jestFile = join(results, 'jest.json');
if (existsSync(jestFile)) {
  const jest = JSON.parse(readFileSync(jestFile, 'utf8'));
  for (const file of jest.testResults) {
    const pkg = /(?:plugins|packages)\/[^/]+/.exec(file.name)?.[0] ?? file.name;
    const wholeFile = basename(file.name) === 'badInput.test.ts';
    for (const t of file.assertionResults) {
      if (t.status !== 'passed') continue;
      const marked = t.ancestorTitles.find(a => CORPUS_TITLE.test(a));
      if (!wholeFile && !marked) continue;
      add(`${pkg}: ${marked ?? t.ancestorTitles[0] ?? 'bad input'}`);
    }
  }
}

// node:test suites (TAP): leaves under a suite whose title marks the corpus
for (const log of readdirSync(results).filter(f => f.endsWith('.log'))) {
  const text = readFileSync(join(results, log), 'utf8');
  if (!text.includes('# Subtest:')) continue;
  const stack = [];
  for (const line of text.split('\n')) {
    const sub = /^( *)# Subtest: (.*)$/.exec(line);
    if (sub) {
      const indent = sub[1].length;
      while (stack.length && stack[stack.length - 1].indent >= indent)
        stack.pop();
      if (stack.length) stack[stack.length - 1].parent = true;
      stack.push({ indent, name: sub[2], parent: false });
      continue;
    }
    const done = /^( *)(not ok|ok) \d+ - /.exec(line);
    if (!done) continue;
    const indent = done[1].length;
    while (stack.length && stack[stack.length - 1].indent > indent) stack.pop();
    const t = stack.pop();
    if (!t || t.parent || done[2] !== 'ok') continue;
    const marked = [...stack, t].find(s => CORPUS_TITLE.test(s.name));
    if (marked) add(`e2e/${basename(log, '.log')}: ${marked.name}`);
  }
}

const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
const total = rows.reduce((n, [, c]) => n + c, 0);
for (const [category, n] of rows)
  console.log(`${String(n).padStart(5)}  ${category}`);
console.log(
  `bad-input corpus: ${total} cases passed in ${rows.length} categories (minimum ${minimum})`,
);
process.exit(total >= minimum ? 0 : 1);
