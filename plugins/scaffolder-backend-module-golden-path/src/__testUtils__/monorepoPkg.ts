import fs from 'node:fs';
import path from 'node:path';

const PKG = path.resolve(
  __dirname,
  '../../../../templates/go-monorepo/skeleton/pkg',
);

/**
 * The Go monorepo template's pkg as checkout files (`pkg/...`), its go.mod as
 * the template renders it, `edit` applied to each file's text.
 */
export function templatePkgFiles(
  edit: (rel: string, text: string) => string = (_rel, text) => text,
): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(PKG, rel), {
      withFileTypes: true,
    })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(r);
      else {
        const text = fs.readFileSync(path.join(PKG, r), 'utf8');
        files[`pkg/${r}`] = edit(
          r,
          r === 'go.mod'
            ? text.replace(/\$\{\{\s*values\.goVersion\s*\}\}/, '1.26')
            : text,
        );
      }
    }
  };
  walk('');
  return files;
}

/** An edit for templatePkgFiles: `file` (relative to pkg) without the Go function or method whose declaration starts with `head`. */
export function withoutFunc(file: string, head: string) {
  return (rel: string, text: string) => {
    if (rel !== file) return text;
    const start = text.indexOf(head);
    if (start < 0) throw new Error(`${file} has no ${head}`);
    return text.slice(0, start) + text.slice(text.indexOf('\n}\n', start) + 3);
  };
}
