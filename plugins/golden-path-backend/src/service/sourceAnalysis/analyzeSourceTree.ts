import type {
  LayersInsight,
  MigrationsInsight,
  ProtosInsight,
} from '@golden-path/plugin-golden-path-common';
import {
  analyzeGoLayers,
  analyzeMigrationDir,
  analyzeProtos,
  ProtoParseCache,
  recordedValuesPath,
  SourceTree,
  summarizeServiceGoFiles,
} from '../../analysis';

/** Which service of a source tree to analyse. */
export interface SourceAnalysisRequest {
  serviceDir: string;
  migrationsDir: string;
  /** Largest proto file parsed. */
  maxFileBytes?: number;
}

/** The insights that come from the source tree alone. */
export interface SourceAnalysis {
  layers: LayersInsight;
  protos: ProtosInsight;
  migrations: Omit<MigrationsInsight, 'environments'>;
}

/** Analyses a service's source tree, on the main thread or in a worker. */
export interface SourceAnalyzer {
  /** Gets ready for an analysis about to be asked for, without waiting. */
  prepare(): void;
  analyze(
    tree: SourceTree,
    request: SourceAnalysisRequest,
  ): Promise<SourceAnalysis>;
  close(): Promise<void>;
}

const yieldToEventLoop = () =>
  new Promise<void>(resolve => setImmediate(resolve));

/**
 * Layers, protos and migrations of one service. The steps are synchronous;
 * the event loop gets a turn between them and while Go files are tokenized
 * and protos parsed, which matters when this runs on the main thread.
 */
export async function analyzeSourceTree(
  tree: SourceTree,
  request: SourceAnalysisRequest,
  protoParses: ProtoParseCache,
): Promise<SourceAnalysis> {
  const { serviceDir, migrationsDir, maxFileBytes } = request;
  const goFiles = await summarizeServiceGoFiles(tree, serviceDir);
  await yieldToEventLoop();
  const migrations = analyzeMigrationDir(tree, { serviceDir, migrationsDir });
  await yieldToEventLoop();
  const layers = analyzeGoLayers(tree, { serviceDir, summaries: goFiles });
  await yieldToEventLoop();
  await protoParses.warm(tree, { maxBytes: maxFileBytes });
  // made by the templates: their record of values, or their layout
  const goldenPathMade =
    tree.files.has(recordedValuesPath(serviceDir)) ||
    layers.followsGoldenPath !== false;
  const protos = analyzeProtos(tree, {
    serviceDir,
    maxBytes: maxFileBytes,
    apiExpected: goldenPathMade,
    goldenPathMade,
    parseCache: protoParses,
  });
  return {
    layers,
    protos,
    migrations: {
      dir: migrations.dir,
      format: migrations.format,
      formatReason: migrations.formatReason,
      files: migrations.files,
      sum: migrations.sum,
      problems: migrations.problems,
    },
  };
}
