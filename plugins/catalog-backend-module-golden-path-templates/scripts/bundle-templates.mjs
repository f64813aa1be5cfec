// Copies the repository's templates/ into this package before it is packed
// and removes the copy afterwards, so the repository keeps one source of
// truth and the tarball holds the templates; after a dynamic-plugin export,
// copies them into the exported package.
//   node scripts/bundle-templates.mjs copy [DIR] | remove    (DIR: default ./templates)
//
// yarn pack and npm pack leave out .gitignore, .github and other dotfiles
// wherever they are, and the skeletons need them (the monorepo's .gitignore
// and CI workflow): in the copy every name starting with "." starts with
// "__dot__" instead, and the module restores the names when it loads (see
// src/bundledTemplates.ts).
import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DOT = '__dot__';
const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const source = join(pkg, '..', '..', 'templates');
const mode = process.argv[2];
const target = resolve(pkg, process.argv[3] ?? 'templates');

/** Renames every entry under `dir` whose name starts with "." (deepest first). */
function encodeDotNames(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) encodeDotNames(full);
    if (entry.name.startsWith('.'))
      renameSync(full, join(dir, DOT + entry.name.slice(1)));
  }
}

if (mode === 'copy') {
  if (!existsSync(join(source, 'go-service', 'template.yaml'))) {
    console.error(
      `bundle-templates: ${source} holds no go-service/template.yaml; pack this package from its place in the Golden Path for Go repository (plugins/${pkg
        .split('/')
        .pop()})`,
    );
    process.exit(1);
  }
  rmSync(target, { recursive: true, force: true });
  // Not the skeleton snapshots this checkout made (<template>/.versions,
  // docs/template-versions.md): an installation stores its own.
  cpSync(source, target, {
    recursive: true,
    filter: src => !/[\\/]\.versions$/.test(src),
  });
  encodeDotNames(target);
} else if (mode === 'remove') {
  rmSync(target, { recursive: true, force: true });
} else {
  console.error(`bundle-templates: unknown mode "${mode}"; use copy or remove`);
  process.exit(1);
}
