import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { Worker } from 'node:worker_threads';
import type { SourceTree } from '../../analysis';
import {
  ANALYSIS_WORKER_DATA,
  ANALYSIS_WORKER_ENTRY,
  AnalysisJob,
  AnalysisWorkerMessage,
  SerializedError,
} from './analysisWorker';
import {
  SourceAnalysis,
  SourceAnalysisRequest,
  SourceAnalyzer,
} from './analyzeSourceTree';
import { InProcessSourceAnalyzer } from './InProcessSourceAnalyzer';
import { OneAtATime } from './oneAtATime';
import { packSourceTree } from './packedSourceTree';

/** Limits of the analysis worker (`goldenPath.insights.analysisWorker`). */
export interface AnalysisWorkerSettings {
  /** Heap of the worker; an analysis that needs more is stopped. */
  maxHeapMb: number;
  /** Longest analysis of one service; a longer one is stopped. */
  timeoutMs: number;
}

const SETTINGS_KEY = 'goldenPath.insights.analysisWorker';

const stoppedAtLimit = new WeakSet<Error>();

/**
 * Whether `e` is an analysis the worker stopped (its heap or time limit, or
 * the worker failing under it): the same source would be stopped again.
 */
export function isStoppedAnalysis(e: unknown): boolean {
  return e instanceof Error && stoppedAtLimit.has(e);
}

/**
 * The worker runs none of the backend's preloads (`--require`, `--import`,
 * `NODE_OPTIONS`): a second OpenTelemetry SDK in each worker, or a preload
 * that listens on a port, would fail it. Run from source (`backstage-cli
 * package start`, tests), it loads TypeScript and needs the CLI's transform.
 */
function workerExecArgv(entry: string): string[] {
  return entry.endsWith('.ts')
    ? ['--require', require.resolve('@backstage/cli/config/nodeTransform.cjs')]
    : [];
}

function workerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** Errors that say the worker's module cannot be loaded here at all (a bundling that lacks it). */
const UNLOADABLE = new Set([
  'ERR_WORKER_PATH',
  'MODULE_NOT_FOUND',
  'ERR_MODULE_NOT_FOUND',
  'ERR_UNKNOWN_FILE_EXTENSION',
]);

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function rehydrate(serialized: SerializedError): Error {
  const { name, message, stack, ...fields } = serialized;
  const error = Object.assign(new Error(message), fields);
  error.name = name;
  // the worker's stack, for the log of an internal error (never sent to clients)
  if (stack) error.stack = stack;
  return error;
}

/**
 * Analyses in a worker thread, so the backend's event loop and heap carry
 * none of it: a fleet of cold services costs the main thread only the
 * reading of their files. One service at a time, with a heap and a time
 * limit; a worker that hits one is ended and the next analysis starts a
 * new one. The worker starts on the first request that needs an analysis
 * (while that request reads the source), not with the backend, within the
 * time limit. A worker that fails to start answers that request 503 and the
 * next one starts it again; only when the worker's module cannot be loaded
 * at all (a bundling without it) do analyses run on the main thread, and
 * that is logged once.
 */
export class WorkerSourceAnalyzer implements SourceAnalyzer {
  private readonly queue = new OneAtATime();
  private worker?: Promise<Worker>;
  private fallback?: InProcessSourceAnalyzer;
  private closed = false;
  private nextId = 0;

  constructor(
    private readonly settings: AnalysisWorkerSettings,
    private readonly logger: LoggerService,
    private readonly entry: string = ANALYSIS_WORKER_ENTRY,
  ) {}

  /**
   * Starts the worker, if it is not running, without waiting for it: the
   * caller reads the source meanwhile. A failure to start is kept for the
   * next analysis, which reports it.
   */
  prepare(): void {
    if (!this.fallback && !this.closed) this.started().catch(() => undefined);
  }

  analyze(
    tree: SourceTree,
    request: SourceAnalysisRequest,
  ): Promise<SourceAnalysis> {
    return this.queue.run(async () => {
      if (this.fallback) return this.fallback.analyze(tree, request);
      if (this.closed)
        throw new ServiceUnavailableError('The backend is shutting down');
      let worker: Worker;
      const starting = this.started();
      try {
        worker = await starting;
      } catch (e) {
        // reported here, once; the next analysis starts a new worker
        if (this.worker === starting) this.worker = undefined;
        const { code, message } = e as Error & { code?: string };
        if (code && UNLOADABLE.has(code)) {
          this.logger.warn(
            `golden-path insights: the analysis worker cannot be loaded (${message}); analysing on the main thread from now on, which holds up the event loop while it runs; set ${SETTINGS_KEY}.enabled: false to choose that`,
          );
          this.fallback = new InProcessSourceAnalyzer();
          return this.fallback.analyze(tree, request);
        }
        this.logger.warn(
          `golden-path insights: the analysis worker did not start (${message}); the next analysis starts it again`,
        );
        throw new ServiceUnavailableError(
          'The insights analysis worker did not start (the backend log says why); try again',
        );
      }
      return this.runJob(worker, tree, request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker.catch(() => undefined))?.terminate();
  }

  private started(): Promise<Worker> {
    if (this.worker) return this.worker;
    const { maxHeapMb, timeoutMs } = this.settings;
    const starting = new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(this.entry, {
        workerData: ANALYSIS_WORKER_DATA,
        execArgv: workerExecArgv(this.entry),
        env: workerEnv(),
        resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
      });
      // An idle worker does not keep the backend (or a test) running.
      worker.unref();
      let ready = false;
      // A worker that never says it is ready is ended like a slow analysis.
      const timer = setTimeout(() => {
        reject(
          new Error(
            `it was not ready within ${formatDuration(
              timeoutMs,
            )} (${SETTINGS_KEY}.timeout)`,
          ),
        );
        void worker.terminate();
      }, timeoutMs);
      const onStartError = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      const onReady = (message: AnalysisWorkerMessage) => {
        if (message.type !== 'ready') return;
        ready = true;
        clearTimeout(timer);
        worker.off('message', onReady);
        worker.off('error', onStartError);
        // Errors during a job are that job's; one between jobs is only logged
        // (a worker's 'error' with no listener would end the backend).
        worker.on('error', (e: Error) => {
          if (worker.listenerCount('error') === 1)
            this.logger.warn(
              `golden-path insights: the analysis worker failed between analyses: ${e.message}`,
            );
        });
        this.logger.info(
          `golden-path insights: the analysis worker started (thread ${worker.threadId}, heap limit ${maxHeapMb} MB)`,
        );
        resolve(worker);
      };
      worker.on('message', onReady);
      worker.once('error', onStartError);
      worker.once('exit', code => {
        clearTimeout(timer);
        // a worker that ended after it was ready is forgotten: the next analysis starts another
        if (ready) {
          if (this.worker === starting) this.worker = undefined;
        } else {
          reject(new Error(`it exited with code ${code} before it was ready`));
        }
      });
    });
    this.worker = starting;
    return starting;
  }

  private runJob(
    worker: Worker,
    tree: SourceTree,
    request: SourceAnalysisRequest,
  ): Promise<SourceAnalysis> {
    const id = ++this.nextId;
    const what = `the analysis of ${request.serviceDir || 'the source root'}`;
    const { maxHeapMb, timeoutMs } = this.settings;
    const forgetWorker = () => {
      this.worker = undefined;
    };
    return new Promise<SourceAnalysis>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      // Declarations (hoisted): each handler ends the job, and the job's end removes them all.
      function settle(fail?: Error, result?: SourceAnalysis) {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (fail) reject(fail);
        else resolve(result!);
      }
      const logger = this.logger;
      function stop(message: string, cause?: string) {
        forgetWorker();
        logger.warn(
          `golden-path insights: ${message}${cause ? ` (${cause})` : ''}`,
        );
        const error = new ServiceUnavailableError(message);
        stoppedAtLimit.add(error);
        settle(error);
        void worker.terminate();
      }
      function onMessage(message: AnalysisWorkerMessage) {
        if (message.type === 'result' && message.id === id) {
          settle(undefined, message.result as SourceAnalysis);
        } else if (message.type === 'error' && message.id === id) {
          settle(rehydrate(message.error));
        }
      }
      function onError(e: Error & { code?: string }) {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
          stop(
            `${what} needed more than ${maxHeapMb} MB and was stopped; raise ${SETTINGS_KEY}.maxHeapMb or lower goldenPath.insights.limits`,
          );
        // the worker's own words may name server paths: logged, not answered
        else
          stop(
            `${what} stopped its worker with an error (the backend log has it)`,
            e.message,
          );
      }
      function onExit(code: number) {
        stop(`${what} stopped its worker (exit code ${code})`);
      }
      timer = setTimeout(
        () =>
          stop(
            `${what} took longer than ${formatDuration(
              timeoutMs,
            )} and was stopped; raise ${SETTINGS_KEY}.timeout or lower goldenPath.insights.limits`,
          ),
        timeoutMs,
      );
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      const packed = packSourceTree(tree);
      const job: AnalysisJob = { id, tree: packed, request };
      worker.postMessage(job, [packed.bytes]);
    });
  }
}
