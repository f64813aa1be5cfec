export {
  atlasSumTotal,
  AtlasSumFormatError,
  computeAtlasHashFile,
  formatAtlasSum,
  isAtlasSumIgnored,
  parseAtlasSum,
  selectAtlasMigrationFiles,
  verifyAtlasSum,
} from './atlasSum';
export type { AtlasMigrationFile, AtlasSumEntry } from './atlasSum';
export {
  analyzeMigrationDir,
  ATLAS_REVISION_TYPE,
  atlasFileDescription,
  atlasFileVersion,
  compareMigrations,
} from './migrationStatus';
export type { AtlasRevision } from './migrationStatus';
export {
  checkMigrationDir,
  detectMigrationDirFormat,
} from './migrationFormats';
export type {
  MigrationDirFile,
  MigrationFormatCheck,
  MigrationFormatVersion,
} from './migrationFormats';
export {
  AtlasRevisionsError,
  AtlasRevisionsReader,
  atlasRevisionsSchema,
} from './revisions';
export type {
  AtlasDatabaseConnection,
  AtlasRevisionsTimeouts,
} from './revisions';
