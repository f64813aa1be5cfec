import fs from 'node:fs';
import path from 'node:path';

/** A file of a template, as the dry-run API takes it. */
export interface TemplateFile {
  path: string;
  base64Content: string;
  executable?: boolean;
}

const SKIPPED = new Set(['node_modules', '.git', 'dev', 'values']);

/**
 * Collects every file of a template directory (skipping its dev/ and values/
 * folders), refusing symlinks that leave the directory. The template file
 * itself is sent as `template.yaml`, where the dry-run API expects it.
 */
export function collectTemplateFiles(
  templateDir: string,
  templateFile = 'template.yaml',
): TemplateFile[] {
  const root = fs.realpathSync(templateDir);
  const files: TemplateFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (dir === root && SKIPPED.has(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      let real = abs;
      if (entry.isSymbolicLink()) {
        real = fs.realpathSync(abs);
        if (!real.startsWith(root + path.sep)) {
          throw new Error(
            `${path.relative(
              root,
              abs,
            )} is a symlink leading outside the template directory`,
          );
        }
      }
      const stat = fs.statSync(real);
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
  const root = path.resolve(outDir);
  for (const file of files) {
    const target = path.resolve(root, file.path);
    if (!target.startsWith(root + path.sep) || file.path.includes('\0')) {
      throw new Error(
        `refusing to write ${JSON.stringify(file.path)}: it escapes ${root}`,
      );
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(file.base64Content, 'base64'));
    if (file.executable) fs.chmodSync(target, 0o755);
  }
  return files.length;
}
