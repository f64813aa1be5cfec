import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  bundledTemplatesDir,
  readBundledTemplates,
  templateFiles,
} from './bundledTemplates';

/*
 * The templates this package ships: in the repository, the repository's own
 * templates/ (the source the tarball's copy is made from); every file that
 * matches templates/*.yaml or templates/<name>/template.yaml is read, with
 * its file as its location; a broken file is left out with one line.
 */
const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_TEMPLATES = path.resolve(PACKAGE_DIR, '..', '..', 'templates');

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap(e => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .sort();
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-templates-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TEMPLATE = (name: string) =>
  `apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  steps: []\n`;

describe('bundledTemplatesDir', () => {
  it("is the repository's templates/ for the package in the repository", () => {
    expect(bundledTemplatesDir(PACKAGE_DIR)).toBe(REPO_TEMPLATES);
  });

  it('is the packed templates/ beside dist/ when the package holds one', () => {
    fs.mkdirSync(path.join(tmp, 'templates'));
    expect(bundledTemplatesDir(tmp)).toBe(path.join(tmp, 'templates'));
  });

  it('restores the dotfiles the pack step encoded, once per content', () => {
    const pkg = path.join(tmp, 'pkg');
    execFileSync(process.execPath, [
      path.join(PACKAGE_DIR, 'scripts/bundle-templates.mjs'),
      'copy',
      path.join(pkg, 'templates'),
    ]);
    const packed = listFiles(path.join(pkg, 'templates'));
    expect(packed).toContain('go-monorepo/skeleton/__dot__gitignore');
    expect(packed).toContain(
      'go-monorepo/skeleton/__dot__github/workflows/ci.yml',
    );
    expect(packed.filter(f => /(^|\/)\./.test(f))).toEqual([]);

    const cache = path.join(tmp, 'cache');
    fs.mkdirSync(cache);
    const dir = bundledTemplatesDir(pkg, cache);
    expect(path.dirname(dir)).toBe(cache);
    const restored = listFiles(dir).filter(
      f => f !== '.golden-path-templates-complete',
    );
    // the files git tracks (or would), not what runs leave (.versions/)
    const tracked = execFileSync(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', '--', '.'],
      { cwd: REPO_TEMPLATES, encoding: 'utf8' },
    )
      .split('\n')
      .filter(f => f && fs.existsSync(path.join(REPO_TEMPLATES, f)))
      .sort();
    expect(restored).toEqual(tracked);
    for (const f of restored)
      expect(fs.readFileSync(path.join(dir, f))).toEqual(
        fs.readFileSync(path.join(REPO_TEMPLATES, f)),
      );
    // the same content again: the same directory, not restored again
    expect(bundledTemplatesDir(pkg, cache)).toBe(dir);
    expect(fs.readdirSync(cache)).toEqual([path.basename(dir)]);
  });

  it('says what is missing and how to fix it when there are none', () => {
    expect(() => bundledTemplatesDir(path.join(tmp, 'a', 'b'))).toThrow(
      /^Golden Path templates are missing: neither .*\/templates nor .*templates exists; reinstall @golden-path\/plugin-catalog-backend-module-golden-path-templates/,
    );
  });
});

describe('readBundledTemplates', () => {
  it('reads every template of the repository, each located at its file', () => {
    const { templates, problems } = readBundledTemplates(REPO_TEMPLATES);
    expect(problems).toEqual([]);
    const names = templates.map(t => t.entity.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'add-aggregate',
        'add-rpc',
        'add-scheduled-job',
        'go-monorepo',
        'go-service',
        'onboard-team',
      ]),
    );
    // every template file in the repository, none listed by hand
    expect(templates.map(t => t.file)).toEqual(templateFiles(REPO_TEMPLATES));
    const goService = templates.find(
      t => t.entity.metadata.name === 'go-service',
    )!;
    const file = path.join(REPO_TEMPLATES, 'go-service', 'template.yaml');
    expect(goService.file).toBe(file);
    expect(goService.entity.kind).toBe('Template');
    expect(goService.entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `file:${file}`,
      'backstage.io/managed-by-origin-location': `file:${file}`,
    });
  });

  it('picks up a new template file with no list to update', () => {
    fs.writeFileSync(path.join(tmp, 'add-thing.yaml'), TEMPLATE('add-thing'));
    fs.mkdirSync(path.join(tmp, 'new-service'));
    fs.writeFileSync(
      path.join(tmp, 'new-service', 'template.yaml'),
      TEMPLATE('new-service'),
    );
    fs.mkdirSync(path.join(tmp, 'values'));
    fs.writeFileSync(path.join(tmp, 'values', 'x.yaml'), 'not: a template\n');
    const { templates, problems } = readBundledTemplates(tmp);
    expect(problems).toEqual([]);
    expect(templates.map(t => t.entity.metadata.name)).toEqual([
      'add-thing',
      'new-service',
    ]);
  });

  it('bad input: a broken file is left out with one line naming it and the line, the others read', () => {
    fs.writeFileSync(path.join(tmp, 'good.yaml'), TEMPLATE('good'));
    fs.writeFileSync(
      path.join(tmp, 'broken.yaml'),
      'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: [broken\n',
    );
    fs.writeFileSync(
      path.join(tmp, 'component.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\n',
    );
    fs.writeFileSync(
      path.join(tmp, 'huge.yaml'),
      `${TEMPLATE('huge')}# ${'x'.repeat(1024 * 1024)}\n`,
    );
    const { templates, problems } = readBundledTemplates(tmp);
    expect(templates.map(t => t.entity.metadata.name)).toEqual(['good']);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^Golden Path template .*\/broken\.yaml is not valid YAML at line \d+, column \d+: .*; it is left out$/,
    );
    expect(problems[1]).toMatch(
      /^Golden Path template .*\/component\.yaml holds a document that is not a Template \(apiVersion scaffolder\.backstage\.io\/v1beta3, kind Template, metadata\.name\); keep only templates in the templates directory; it is left out$/,
    );
    expect(problems[2]).toMatch(
      /^Golden Path template .*\/huge\.yaml is \d+ bytes, more than the 1048576 a template may have; it is left out$/,
    );
    for (const line of problems) expect(line).not.toContain('\n');
  });
});
