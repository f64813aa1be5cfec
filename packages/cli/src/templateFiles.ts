import {
  confinedRoot,
  writeConfinedFile,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';

/** A file of a template, as the dry-run API takes it. */
export interface TemplateFile {
  path: string;
  base64Content: string;
  executable?: boolean;
}

const SKIPPED = new Set(['node_modules', '.git', 'dev', 'values', '.versions']);

/**
 * Collects every file of a template directory (skipping its dev/ and values/
 * folders), refusing symlinks that leave the directory. The template file
 * itself is sent as `template.yaml`, where the dry-run API expects it.
 */
export function collectTemplateFiles(
  templateDir: string,
  templateFile = 'template.yaml',
): TemplateFile[] {
  const confined = confinedRoot(templateDir, {
    name: 'the template directory',
  });
  const root = confined.root;
  const files: TemplateFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (dir === root && SKIPPED.has(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      // Symlinks may point within the template, never out of it.
      const { path: real, stats } = confined.entry(path.relative(root, abs), {
        label: 'template file',
      });
      const stat = stats ?? fs.statSync(real);
      if (stat.isDirectory()) walk(abs);
      else if (stat.isFile()) {
        const rel = path.relative(root, abs).split(path.sep).join('/');
        if (rel === 'template.yaml' && templateFile !== 'template.yaml')
          continue;
        files.push({
          path: rel === templateFile ? 'template.yaml' : rel,
          base64Content: fs.readFileSync(real).toString('base64'),
          executable: (stat.mode & 0o111) !== 0,
        });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Writes dry-run output files under `outDir`, refusing any path that escapes it. */
export function writeRenderedFiles(
  outDir: string,
  files: TemplateFile[],
): number {
  fs.mkdirSync(outDir, { recursive: true });
  const root = confinedRoot(outDir, { name: outDir });
  for (const file of files) {
    // Output of a dry run: no escapes, and no symlink in outDir is followed.
    writeConfinedFile(
      root,
      file.path,
      Buffer.from(file.base64Content, 'base64'),
      {
        label: `rendered file ${JSON.stringify(file.path)}`,
        mode: file.executable ? 0o755 : 0o644,
      },
    );
  }
  return files.length;
}
