import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeGoLayers } from './layers';
import { createInsightsFileFilter, readLocalSourceTree } from './sourceTree';

/** A service with 30,000 Go files in one package directory. */
function hugeTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-huge-'));
  const dir = path.join(root, 'services/huge-service/internal/domain/entity');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'go.mod'),
    'module example.com/huge\n\ngo 1.26\n',
  );
  for (let i = 0; i < 30_000; i++) {
    fs.writeFileSync(
      path.join(dir, `e${i}.go`),
      `package entity\n\n// E${i} is generated.\ntype E${i} struct{}\n`,
    );
  }
  return root;
}

describe('readLocalSourceTree with tens of thousands of files', () => {
  let root: string;
  beforeAll(() => {
    root = hugeTree();
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  // No wall-time bound of its own (the machine's other work decides it): the
  // limit is asserted on what was read, the time by the test's 60 s.
  it('stops at the file limit, says so once, and the analysis runs on what was read', async () => {
    const tree = await readLocalSourceTree(
      root,
      createInsightsFileFilter('services/huge-service'),
      { maxFiles: 20_000 },
    );
    expect(tree.files.size).toBeLessThanOrEqual(20_000);
    const limit = tree.problems.filter(p => /limit|files/i.test(p.message));
    expect(limit.length).toBeGreaterThanOrEqual(1);
    expect(limit.length).toBeLessThanOrEqual(2);
    const layers = analyzeGoLayers(tree, {
      serviceDir: 'services/huge-service',
    });
    expect(
      layers.packages.find(p => p.dir.endsWith('domain/entity'))?.files,
    ).toBeGreaterThan(0);
  }, 60_000);
});
