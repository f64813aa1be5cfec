import { ProtoParseCache, SourceTree } from '../../analysis';
import {
  analyzeSourceTree,
  SourceAnalysis,
  SourceAnalysisRequest,
  SourceAnalyzer,
} from './analyzeSourceTree';
import { OneAtATime } from './oneAtATime';

/**
 * Analyses on the backend's main thread, one service at a time (the steps of
 * several would otherwise run back to back in one turn of the event loop).
 */
export class InProcessSourceAnalyzer implements SourceAnalyzer {
  private readonly queue = new OneAtATime();
  /** The monorepo's protos, parsed once per content for all its services. */
  private readonly protoParses = new ProtoParseCache();

  prepare(): void {}

  analyze(
    tree: SourceTree,
    request: SourceAnalysisRequest,
  ): Promise<SourceAnalysis> {
    return this.queue.run(() =>
      analyzeSourceTree(tree, request, this.protoParses),
    );
  }

  async close(): Promise<void> {}
}
