#!/usr/bin/env node
// Copies the pinned tool sources (tools/versions.env and the Go modules that
// `golden-path tools install` builds) into toolchain/ before packing, so the
// tarball works outside this repository; `--clean` removes them after packing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tools = path.resolve(pkg, '../../tools');
const out = path.join(pkg, 'toolchain');

fs.rmSync(out, { recursive: true, force: true });
if (process.argv.includes('--clean')) process.exit(0);

const buildInput = f =>
  f === 'go.mod' ||
  f === 'go.sum' ||
  f === 'README.md' ||
  (f.endsWith('.go') && !f.endsWith('_test.go'));

fs.mkdirSync(out);
fs.copyFileSync(
  path.join(tools, 'versions.env'),
  path.join(out, 'versions.env'),
);
for (const mod of ['go', 'atlas', 'launcher']) {
  const from = path.join(tools, mod);
  fs.mkdirSync(path.join(out, mod));
  for (const f of fs.readdirSync(from).filter(buildInput))
    fs.copyFileSync(path.join(from, f), path.join(out, mod, f));
}
