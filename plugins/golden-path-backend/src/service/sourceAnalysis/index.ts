export type {
  SourceAnalysis,
  SourceAnalysisRequest,
  SourceAnalyzer,
} from './analyzeSourceTree';
export { InProcessSourceAnalyzer } from './InProcessSourceAnalyzer';
export {
  isStoppedAnalysis,
  WorkerSourceAnalyzer,
} from './WorkerSourceAnalyzer';
export type { AnalysisWorkerSettings } from './WorkerSourceAnalyzer';
