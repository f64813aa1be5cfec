import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTemplateRenderer, TemplateValue } from 'nunjitsu';
import {
  addJobs,
  detemplateMonorepoFile,
  detemplateServiceGoMod,
  detemplateServiceGoSum,
  isolatePkgRequire,
  lineOpcodes,
  mergeStages,
} from './goModTemplates';

const templates = path.resolve(__dirname, '../../../templates');
const renderer = createTemplateRenderer({});
const render = (file: string, values: Record<string, unknown>) =>
  renderer.render(
    fs.readFileSync(file, 'utf8'),
    renderer.prepareContext({ values } as Record<string, TemplateValue>),
  );

describe('lineOpcodes', () => {
  it('keeps common lines and reports what only one side has', () => {
    expect(lineOpcodes(['a', 'b', 'c', 'e'], ['a', 'c', 'd', 'e'])).toEqual([
      { op: 'equal', a: ['a'], b: ['a'] },
      { op: 'delete', a: ['b'], b: [] },
      { op: 'equal', a: ['c'], b: ['c'] },
      { op: 'insert', a: [], b: ['d'] },
      { op: 'equal', a: ['e'], b: ['e'] },
    ]);
    expect(lineOpcodes(['a', 'x', 'c'], ['a', 'y', 'c'])[1]).toEqual({
      op: 'replace',
      a: ['x'],
      b: ['y'],
    });
  });
});

describe('bad input: go.mod templates', () => {
  it('refuses stages whose first lines differ, naming the file', () => {
    expect(() => mergeStages('module a\n', 'module b\n', 'pkg/go.mod')).toThrow(
      'pkg/go.mod: the first line differs between the stages',
    );
  });

  it('refuses a service go.mod without the replace of the pkg module', () => {
    expect(() =>
      detemplateServiceGoMod('module x\n\ngo 1.26.0\n', '/tmp/svc/go.mod'),
    ).toThrow(
      '/tmp/svc/go.mod: no "module" line or no "replace <pkg module> => ../../pkg" line',
    );
  });

  it('refuses jobs lines with nothing of the mvp render before them', () => {
    expect(() => addJobs('a\n', 'a\n', 'z\na\n', 'go.sum')).toThrow(
      'go.sum: the jobs render adds "z" where the mvp render has no line before it',
    );
  });
});

describe('regenerating the committed go.mod/go.sum templates from their renders', () => {
  it('gives back the Go monorepo template files byte for byte', () => {
    const dir = path.join(templates, 'go-monorepo/skeleton');
    const values = { pkgModule: 'github.com/acme/go-pkg', goVersion: '1.26' };
    for (const file of [
      'pkg/go.mod',
      'pkg/go.sum',
      'gateway/go.mod',
      'gateway/go.sum',
    ]) {
      const [mvp, async] = ['mvp', 'async'].map(stage => {
        const text = detemplateMonorepoFile(
          render(path.join(dir, file), { ...values, stage }),
          values.pkgModule,
          values.goVersion,
        );
        return file === 'gateway/go.mod' ? isolatePkgRequire(text) : text;
      });
      expect({ file, text: mergeStages(mvp, async, file) }).toEqual({
        file,
        text: fs.readFileSync(path.join(dir, file), 'utf8'),
      });
    }
  });

  it('renders as the committed Go service template files in every stage, with and without jobs', () => {
    const dir = path.join(
      templates,
      'go-service/skeleton/services/${{ values.name }}-service',
    );
    const base = {
      module: 'github.com/acme/orders-service',
      pkgModule: 'github.com/acme/go-pkg',
      goVersion: '1.26',
      dependencies: [],
    };
    const renders = [
      { stage: 'mvp', jobs: [] },
      { stage: 'async', jobs: [] },
      { stage: 'mvp', jobs: [{ name: 'expire_orders' }] },
    ].map(v => {
      const { text, pkgModule } = detemplateServiceGoMod(
        render(path.join(dir, 'go.mod'), { ...base, ...v }),
        'go.mod',
      );
      return {
        goMod: text,
        goSum: detemplateServiceGoSum(
          render(path.join(dir, 'go.sum'), { ...base, ...v }),
          pkgModule,
        ),
      };
    });
    const [mvp, async, jobs] = renders;
    // The regenerated templates render exactly as the committed ones for
    // every stage with and without jobs (where a jobs block sits among the
    // stage blocks may differ from a hand-placed one).
    const regenerated = {
      'go.mod': addJobs(
        mergeStages(mvp.goMod, async.goMod, 'go.mod'),
        mvp.goMod,
        jobs.goMod,
        'go.mod',
      ),
      'go.sum': addJobs(
        mergeStages(mvp.goSum, async.goSum, 'go.sum'),
        mvp.goSum,
        jobs.goSum,
        'go.sum',
      ),
    };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-gomod-'));
    try {
      for (const [file, text] of Object.entries(regenerated)) {
        fs.writeFileSync(path.join(tmp, file), text);
        for (const stage of ['mvp', 'async']) {
          for (const jobList of [[], [{ name: 'expire_orders' }]]) {
            const values = { ...base, stage, jobs: jobList };
            expect({
              file,
              stage,
              jobs: jobList.length,
              text: render(path.join(tmp, file), values),
            }).toEqual({
              file,
              stage,
              jobs: jobList.length,
              text: render(path.join(dir, file), values),
            });
          }
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
