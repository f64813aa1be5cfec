import {
  Alert,
  Box,
  Cell,
  CellText,
  Flex,
  Table,
  Text,
  type ColumnConfig,
} from '@backstage/ui';
import type {
  AtlasSumInsight,
  MigrationEnvironmentInsight,
  MigrationVersionInsight,
  MigrationsInsight,
} from '@golden-path/plugin-golden-path-common';
import { MIGRATION_FORMAT_TOOLS } from '@golden-path/plugin-golden-path-common';
import { ProblemList } from '../common/ProblemList';
import { Section } from '../common/Section';
import { StatusChip } from '../common/StatusChip';
import { plural } from '../LayersView/layout';

type VersionRow = MigrationVersionInsight & { id: string };

const environmentStatusText: Record<
  MigrationEnvironmentInsight['status'],
  string
> = {
  ok: 'up to date',
  pending: 'pending',
  drift: 'drift',
  failed: 'failed',
  error: 'unreachable',
};

function progress(v: MigrationVersionInsight): string | undefined {
  if (v.total === undefined) return undefined;
  return `${v.applied ?? 0}/${v.total} statements`;
}

const versionColumns: ColumnConfig<VersionRow>[] = [
  {
    id: 'version',
    label: 'Version',
    isRowHeader: true,
    cell: v => <CellText title={v.version} description={v.description} />,
  },
  {
    id: 'state',
    label: 'Status',
    cell: v => (
      <Cell>
        <Flex gap="1" align="center">
          <StatusChip status={v.state} />
          {v.hashMatches === false ? (
            <StatusChip status="edited" label="file edited since applied" />
          ) : null}
        </Flex>
      </Cell>
    ),
  },
  {
    id: 'applied',
    label: 'Applied',
    cell: v => (
      <CellText
        title={v.executedAt ? new Date(v.executedAt).toLocaleString() : '—'}
        description={[
          progress(v),
          v.executionTimeMs !== undefined
            ? `${v.executionTimeMs} ms`
            : undefined,
        ]
          .filter(Boolean)
          .join(' · ')}
      />
    ),
  },
  {
    id: 'details',
    label: 'Details',
    cell: v => (
      <Cell>
        <Flex direction="column" gap="1">
          {v.note ? <Text variant="body-small">{v.note}</Text> : null}
          {!v.file ? (
            <Text variant="body-small" color="warning">
              No file in the migration directory for this version.
            </Text>
          ) : null}
          {v.error ? (
            <Text
              as="div"
              variant="body-small"
              color="danger"
              data-testid={`migration-error-${v.version}`}
              style={{ whiteSpace: 'pre-wrap' }}
            >
              {v.error}
            </Text>
          ) : null}
          {v.errorStatement ? (
            <Box
              as="pre"
              p="1"
              style={{
                margin: 0,
                fontFamily: 'monospace',
                fontSize: '0.75rem',
                whiteSpace: 'pre-wrap',
                background: 'var(--bui-bg-neutral-2)',
              }}
            >
              {v.errorStatement}
            </Box>
          ) : null}
        </Flex>
      </Cell>
    ),
  },
];

function SumStatus(props: { sum: AtlasSumInsight; fileCount: number }) {
  const { sum } = props;
  const label: Record<AtlasSumInsight['status'], string> = {
    ok: 'atlas.sum ok',
    missing: 'atlas.sum missing',
    mismatch: 'atlas.sum does not match',
    invalid: 'atlas.sum invalid',
    none: 'no atlas.sum',
  };
  const changes: Array<{
    reason: 'edited' | 'added' | 'removed';
    files: string[];
  }> = [
    { reason: 'edited', files: sum.edited },
    { reason: 'added', files: sum.added },
    { reason: 'removed', files: sum.removed },
  ];
  return (
    <Flex direction="column" gap="2" aria-label="atlas.sum integrity">
      <Flex gap="2" align="center">
        <StatusChip status={sum.status} label={label[sum.status]} />
        <Text variant="body-small" color="secondary">
          {plural(props.fileCount, 'migration')}
        </Text>
      </Flex>
      {sum.message ? <Text variant="body-small">{sum.message}</Text> : null}
      {sum.mismatch ? (
        <Text variant="body-small">
          {`Atlas reports first: ${sum.mismatch.file} ${sum.mismatch.reason} (atlas.sum line ${sum.mismatch.line}). Run atlas migrate hash if the change is intended, else restore the file.`}
        </Text>
      ) : null}
      {changes
        .filter(c => c.files.length > 0)
        .map(c => (
          <Flex
            key={c.reason}
            gap="2"
            align="center"
            style={{ flexWrap: 'wrap' }}
          >
            <StatusChip status={c.reason} />
            {c.files.map(f => (
              <Text
                key={f}
                variant="body-small"
                style={{ fontFamily: 'monospace' }}
              >
                {f}
              </Text>
            ))}
          </Flex>
        ))}
      {sum.status === 'missing' ? (
        <Text variant="body-small" color="secondary">
          Run atlas migrate hash in the migration directory and commit
          atlas.sum.
        </Text>
      ) : null}
    </Flex>
  );
}

function EnvironmentView(props: { env: MigrationEnvironmentInsight }) {
  const { env } = props;
  return (
    <Flex direction="column" gap="2" aria-label={`environment ${env.name}`}>
      <Flex gap="2" align="center">
        <Text as="h3" variant="title-x-small">
          {env.name}
        </Text>
        <StatusChip
          status={env.status}
          label={environmentStatusText[env.status]}
        />
        {env.currentVersion ? (
          <Text variant="body-small" color="secondary">
            {`current version ${env.currentVersion}`}
          </Text>
        ) : null}
      </Flex>
      {env.status === 'error' ? (
        <Alert
          status="danger"
          icon
          title={`The ${env.name} database cannot be read`}
          description={
            <Flex direction="column" gap="1">
              <Text variant="body-small">{env.message ?? 'unknown error'}</Text>
              <Text variant="body-small" color="secondary">
                {`Check goldenPath.insights.migrations.environments (${env.name}): the connection, that the role may SELECT from ${env.revisionsSchema}.atlas_schema_revisions, and that the database is reachable from the backend.`}
              </Text>
            </Flex>
          }
        />
      ) : (
        <>
          {env.message ? <Text variant="body-small">{env.message}</Text> : null}
          {env.versions.length === 0 ? (
            <Text variant="body-small" color="secondary">
              No migrations.
            </Text>
          ) : (
            <Table
              columnConfig={versionColumns}
              data={env.versions.map(v => ({ ...v, id: v.version }))}
              pagination={{ type: 'none' }}
            />
          )}
        </>
      )}
    </Flex>
  );
}

/**
 * Whether the backend found no migration directory: no format, and the
 * reason why (an answer from a backend older than the format has neither).
 */
const noDirectory = (m: MigrationsInsight) => !m.format && !!m.formatReason;

/** Which tool's format the directory is in, and what gave it away. */
function FormatLine(props: { migrations: MigrationsInsight }) {
  const { format, formatReason } = props.migrations;
  if (noDirectory(props.migrations))
    return (
      <Flex gap="2" align="center" aria-label="migration format">
        <StatusChip status="none" tone="neutral" label="no migrations" />
        <Text variant="body-small" color="secondary">
          {formatReason}
        </Text>
      </Flex>
    );
  if (!format) return null; // an answer from a backend older than the format
  return (
    <Flex gap="2" align="center" aria-label="migration format">
      <StatusChip
        status="format"
        tone="info"
        label={MIGRATION_FORMAT_TOOLS[format]}
      />
      <Text variant="body-small" color="secondary">
        {formatReason}
      </Text>
    </Flex>
  );
}

/** The migrations part of the Architecture tab. */
export function MigrationsView(props: { migrations: MigrationsInsight }) {
  const { migrations } = props;
  return (
    <Section title="Migrations" subtitle={migrations.dir}>
      <FormatLine migrations={migrations} />
      {noDirectory(migrations) ? null : (
        <SumStatus sum={migrations.sum} fileCount={migrations.files.length} />
      )}
      {migrations.environments.length === 0 ? (
        <Text variant="body-small" color="secondary">
          No environments are configured for this service: set
          goldenPath.insights.migrations.environments in app-config.yaml to see
          which migrations each database has applied.
        </Text>
      ) : null}
      {migrations.environments.map(env => (
        <EnvironmentView key={env.name} env={env} />
      ))}
      <ProblemList label="Migration problems" problems={migrations.problems} />
    </Section>
  );
}
