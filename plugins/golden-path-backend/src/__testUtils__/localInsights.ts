import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { DefaultInsightsService } from '../service/InsightsService';

/** The insights service reading local copies under `root`, on Backstage's mocks. */
export function localInsightsService(root: string): DefaultInsightsService {
  return DefaultInsightsService.fromConfig(
    new ConfigReader({ goldenPath: { insights: { localRoots: [root] } } }),
    {
      logger: mockServices.logger.mock(),
      urlReader: mockServices.urlReader.mock(),
      cache: mockServices.cache.mock(),
    },
  );
}

/** Writes each file of `files` (path relative to `dir`: text), making its folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}
