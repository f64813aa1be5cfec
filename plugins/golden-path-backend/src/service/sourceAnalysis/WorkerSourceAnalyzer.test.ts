import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createInsightsFileFilter,
  readLocalSourceTree,
  SourceTree,
} from '../../analysis';
import { SERVICE_DIR } from '../../__fixtures__/renderedService';
import { analyzeSourceTree } from './analyzeSourceTree';
import { InProcessSourceAnalyzer } from './InProcessSourceAnalyzer';
import { WorkerSourceAnalyzer } from './WorkerSourceAnalyzer';

// Counts analyses on this (the main) thread; the worker loads the real module.
jest.mock('./analyzeSourceTree', () => {
  const actual = jest.requireActual('./analyzeSourceTree');
  return { ...actual, analyzeSourceTree: jest.fn(actual.analyzeSourceTree) };
});
const onMainThread = analyzeSourceTree as jest.Mock;

const FIXTURE = path.resolve(__dirname, '../../__fixtures__/go-service');
const REQUEST = { serviceDir: SERVICE_DIR, migrationsDir: 'db/migrations' };

/** The nice value of each thread of this process. */
function threadPriorities(): number[] {
  return fs.readdirSync('/proc/self/task').map(tid => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // fields after the command name, from the state (field 3); nice is field 19
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

function readFixture(): Promise<SourceTree> {
  return readLocalSourceTree(FIXTURE, createInsightsFileFilter(SERVICE_DIR));
}

/** A tree of `count` Go files of `lines` imports each: work and heap in proportion. */
function syntheticTree(count: number, lines: number): SourceTree {
  const files = new Map<string, Buffer>();
  files.set('go.mod', Buffer.from('module example.com/big\n\ngo 1.24\n'));
  const body = Array.from(
    { length: lines },
    (_, i) => `\t_ "example.com/big/internal/p${i}"`,
  ).join('\n');
  for (let i = 0; i < count; i++) {
    files.set(
      `services/big-service/internal/domain/f${i}.go`,
      Buffer.from(`package domain\n\nimport (\n${body}\n)\n`),
    );
  }
  return { files, problems: [] };
}

// Each test starts a worker, which loads the analysis through the CLI's
// TypeScript transform: seconds on a machine busy with other suites.
jest.setTimeout(60_000);

describe('WorkerSourceAnalyzer', () => {
  const analyzers: WorkerSourceAnalyzer[] = [];
  const make = (
    settings = { maxHeapMb: 256, timeoutMs: 60_000 },
    entry?: string,
  ) => {
    const logger = mockServices.logger.mock();
    const analyzer = new WorkerSourceAnalyzer(settings, logger, entry);
    analyzers.push(analyzer);
    return { analyzer, logger };
  };

  afterAll(async () => {
    await Promise.all(analyzers.map(a => a.close()));
  });
  beforeEach(() => onMainThread.mockClear());

  it('answers what the main thread answers, without analysing on it', async () => {
    const { analyzer, logger } = make();
    const tree = await readFixture();
    const inWorker = await analyzer.analyze(tree, REQUEST);
    expect(onMainThread).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^golden-path insights: the analysis worker started \(thread \d+, heap limit 256 MB\)$/,
      ),
    );

    const inProcess = await new InProcessSourceAnalyzer().analyze(
      await readFixture(),
      REQUEST,
    );
    expect(onMainThread).toHaveBeenCalledTimes(1);
    expect(inWorker).toEqual(inProcess);
    expect(inWorker.layers.followsGoldenPath).toBe(true);
    expect(inWorker.protos.files.length).toBeGreaterThan(0);
    expect(inWorker.migrations.files.length).toBeGreaterThan(0);
    // the caller's buffers are copied, not moved to the worker
    for (const content of tree.files.values())
      expect(content.byteLength).toBeGreaterThan(0);
  });

  // Linux, as the bundle's sandbox (bubblewrap) and /proc are
  it('runs the analysis at a lower CPU priority than the backend', async () => {
    const lowered = Math.min(19, os.getPriority() + 10);
    const before = threadPriorities().filter(p => p === lowered).length;
    const { analyzer } = make();
    await analyzer.analyze(await readFixture(), REQUEST);
    expect(threadPriorities().filter(p => p === lowered)).toHaveLength(
      before + 1,
    );
  });

  it("returns the analysis's own error, and the worker goes on", async () => {
    const { analyzer } = make();
    await expect(
      analyzer.analyze(await readFixture(), {
        ...REQUEST,
        serviceDir: '../elsewhere',
      }),
    ).rejects.toThrow('service directory "../elsewhere" must not contain ".."');
    await expect(
      analyzer.analyze(await readFixture(), REQUEST),
    ).resolves.toMatchObject({ layers: { followsGoldenPath: true } });
  });

  it('stops an analysis over its time limit, in one line, and starts a new worker for the next', async () => {
    // the worker started (within the same limit) before the limit drops to 1 ms
    const settings = { maxHeapMb: 256, timeoutMs: 60_000 };
    const { analyzer } = make(settings);
    await analyzer.analyze(await readFixture(), REQUEST);
    settings.timeoutMs = 1;
    const slow = analyzer.analyze(syntheticTree(400, 200), {
      serviceDir: 'services/big-service',
      migrationsDir: 'db/migrations',
    });
    await expect(slow).rejects.toThrow(ServiceUnavailableError);
    await expect(slow).rejects.toThrow(
      'the analysis of services/big-service took longer than 1 ms and was stopped; raise goldenPath.insights.analysisWorker.timeout or lower goldenPath.insights.limits',
    );
    settings.timeoutMs = 60_000;
    await expect(
      analyzer.analyze(await readFixture(), REQUEST),
    ).resolves.toMatchObject({ layers: { followsGoldenPath: true } });
  });

  it('stops an analysis over its heap limit without touching the backend, and goes on', async () => {
    const settings = { maxHeapMb: 64, timeoutMs: 120_000 };
    const { analyzer } = make(settings);
    const before = process.memoryUsage().heapUsed;
    await expect(
      analyzer.analyze(syntheticTree(3000, 400), {
        serviceDir: 'services/big-service',
        migrationsDir: 'db/migrations',
      }),
    ).rejects.toThrow(
      'the analysis of services/big-service needed more than 64 MB and was stopped; raise goldenPath.insights.analysisWorker.maxHeapMb or lower goldenPath.insights.limits',
    );
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(
      256 * 1024 * 1024,
    );
    await expect(
      analyzer.analyze(await readFixture(), REQUEST),
    ).resolves.toMatchObject({ layers: { followsGoldenPath: true } });
  }, 180_000); // a worker filling 64 MB, then a new one: over a minute on a loaded 2-core machine

  it('analyses on the main thread when the worker cannot be loaded, and says so once', async () => {
    const { analyzer, logger } = make(undefined, '/nonexistent/worker.js');
    const first = await analyzer.analyze(await readFixture(), REQUEST);
    await analyzer.analyze(await readFixture(), REQUEST);
    expect(first.layers.followsGoldenPath).toBe(true);
    expect(onMainThread).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^golden-path insights: the analysis worker cannot be loaded \(.+\); analysing on the main thread from now on/,
      ),
    );
  });

  describe('a worker that does not start', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-worker-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A worker module `name` that throws `message` as it loads; `starts` holds one x per start. */
    const failingEntry = (name: string, message: string) => {
      const starts = path.join(dir, `${name}.starts`);
      const entry = path.join(dir, `${name}.js`);
      fs.writeFileSync(
        entry,
        `require('node:fs').appendFileSync(${JSON.stringify(
          starts,
        )}, 'x');\nthrow new Error(${JSON.stringify(message)});\n`,
      );
      return { entry, starts };
    };

    it('answers 503 and the next analysis starts it again, never on the main thread', async () => {
      const { entry, starts } = failingEntry(
        'fails',
        'cannot open /srv/secret/thing',
      );
      const { analyzer, logger } = make(undefined, entry);
      for (let i = 0; i < 2; i++) {
        const run = analyzer.analyze(await readFixture(), REQUEST);
        await expect(run).rejects.toThrow(ServiceUnavailableError);
        await expect(run).rejects.toThrow(
          /^The insights analysis worker did not start \(the backend log says why\); try again$/,
        );
      }
      expect(fs.readFileSync(starts, 'utf8')).toBe('xx');
      expect(onMainThread).not.toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledWith(
        'golden-path insights: the analysis worker did not start (cannot open /srv/secret/thing); the next analysis starts it again',
      );
    });

    it('reports a start that prepare() began and that failed, once, without starting a second worker', async () => {
      const { entry, starts } = failingEntry('fails-prepared', 'no start');
      const { analyzer, logger } = make(undefined, entry);
      analyzer.prepare();
      await new Promise(resolve => setTimeout(resolve, 200));
      await expect(
        analyzer.analyze(await readFixture(), REQUEST),
      ).rejects.toThrow(ServiceUnavailableError);
      expect(fs.readFileSync(starts, 'utf8')).toBe('x');
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        'golden-path insights: the analysis worker did not start (no start); the next analysis starts it again',
      );
    });

    it('ends a worker that is never ready at the time limit', async () => {
      const entry = path.join(dir, 'silent.js');
      fs.writeFileSync(entry, 'setInterval(() => {}, 1000);\n');
      const { analyzer, logger } = make(
        { maxHeapMb: 256, timeoutMs: 500 },
        entry,
      );
      await expect(
        analyzer.analyze(await readFixture(), REQUEST),
      ).rejects.toThrow(ServiceUnavailableError);
      expect(logger.warn).toHaveBeenCalledWith(
        'golden-path insights: the analysis worker did not start (it was not ready within 500 ms (goldenPath.insights.analysisWorker.timeout)); the next analysis starts it again',
      );
    });

    it("runs none of the backend's preloads (NODE_OPTIONS --require)", async () => {
      const marker = path.join(dir, 'preloaded');
      const preload = path.join(dir, 'preload.js');
      fs.writeFileSync(
        preload,
        `if (!require('node:worker_threads').isMainThread) require('node:fs').writeFileSync(${JSON.stringify(
          marker,
        )}, 'ran');\n`,
      );
      const saved = process.env.NODE_OPTIONS;
      process.env.NODE_OPTIONS = `${saved ?? ''} --require ${preload}`;
      try {
        const { analyzer } = make();
        await expect(
          analyzer.analyze(await readFixture(), REQUEST),
        ).resolves.toMatchObject({ layers: { followsGoldenPath: true } });
      } finally {
        if (saved === undefined) delete process.env.NODE_OPTIONS;
        else process.env.NODE_OPTIONS = saved;
      }
      expect(fs.existsSync(marker)).toBe(false);
    });
  });
});
