import fs from 'node:fs';
import os from 'node:os';
import {
  isMainThread,
  MessagePort,
  parentPort,
  workerData,
} from 'node:worker_threads';
import { ProtoParseCache } from '../../analysis';
import { analyzeSourceTree, SourceAnalysisRequest } from './analyzeSourceTree';
import { PackedSourceTree, unpackSourceTree } from './packedSourceTree';

/**
 * The module a worker thread loads: this file, wherever it is (`src/` run by
 * the CLI's transform, `dist/` once built, or inside a bundle), so no second
 * entry point has to be built or found.
 */
export const ANALYSIS_WORKER_ENTRY = __filename;

const MARK = 'goldenPathInsightsAnalysisWorker';

/** The workerData that makes the module serve analyses. */
export const ANALYSIS_WORKER_DATA = { [MARK]: true };

/** A service to analyse, sent to the worker. */
export interface AnalysisJob {
  id: number;
  tree: PackedSourceTree;
  request: SourceAnalysisRequest;
}

/** What an error thrown in the worker carries back: the fields that decide how it is answered. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  syscall?: string;
  path?: string;
  errno?: number;
  /** The worker's stack, logged with an internal error (never answered). */
  stack?: string;
}

/** The worker's messages: ready once, then one answer per job. */
export type AnalysisWorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const { code, syscall, path, errno } = e as Error & Record<string, unknown>;
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' && { code }),
    ...(typeof syscall === 'string' && { syscall }),
    ...(typeof path === 'string' && { path }),
    ...(typeof errno === 'number' && { errno }),
    ...(typeof e.stack === 'string' && { stack: e.stack }),
  };
}

/** How much lower than the backend's the worker's CPU priority is (nice). */
export const ANALYSIS_WORKER_NICE_INCREMENT = 10;

/**
 * On a busy machine the backend's main thread, which answers requests and
 * health checks, gets a core before the analysis does. Linux sets the
 * priority of one thread when given its id; elsewhere, or if refused, the
 * worker keeps the backend's.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return;
    os.setPriority(
      tid,
      Math.min(19, os.getPriority(tid) + ANALYSIS_WORKER_NICE_INCREMENT),
    );
  } catch {
    // not Linux, or not allowed: the backend's priority
  }
}

function serveAnalyses(port: MessagePort): void {
  lowerThreadPriority();
  // Kept for the worker's life: a monorepo's services share its protos.
  const protoParses = new ProtoParseCache();
  port.on('message', async (job: AnalysisJob) => {
    let answer: AnalysisWorkerMessage;
    try {
      const tree = unpackSourceTree(job.tree);
      const result = await analyzeSourceTree(tree, job.request, protoParses);
      answer = { type: 'result', id: job.id, result };
    } catch (e) {
      answer = { type: 'error', id: job.id, error: serializeError(e) };
    }
    port.postMessage(answer);
  });
  port.postMessage({ type: 'ready' } satisfies AnalysisWorkerMessage);
}

if (!isMainThread && parentPort && workerData?.[MARK] === true) {
  serveAnalyses(parentPort);
}
