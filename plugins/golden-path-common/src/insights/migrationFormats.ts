import type { MigrationDirFormat } from './types';

/**
 * The tool that applies each migration directory format, spelled as the
 * tool spells its own name (for messages and the Migrations tab).
 *
 * @public
 */
export const MIGRATION_FORMAT_TOOLS: Record<MigrationDirFormat, string> = {
  atlas: 'Atlas',
  'golang-migrate': 'golang-migrate',
  goose: 'goose',
  flyway: 'Flyway',
  liquibase: 'Liquibase',
  dbmate: 'dbmate',
};
