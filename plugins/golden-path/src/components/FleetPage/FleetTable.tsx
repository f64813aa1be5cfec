import { useMemo } from 'react';
import {
  Cell,
  CellText,
  Flex,
  Link,
  Table,
  Text,
  useTable,
  type ColumnConfig,
} from '@backstage/ui';
import type { FleetMigrationStatus } from '@golden-path/plugin-golden-path-common';
import { StatusChip } from '../common/StatusChip';
import { architectureHref, entityHref, upgradeHref } from './fleetLinks';
import { FleetRow, sortFleet } from './fleetSort';

const shortRef = (ref?: string) => ref?.replace(/^[a-z]+:default\//, '') ?? '—';

/** `2026-12-04T10:00:00Z` → `4 min ago` against `now`. */
export function timeAgo(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** The last-analysis cell: still running, when it was made, or failed. */
function analysisTitle(row: FleetRow, now: number): string {
  if (row.status === 'pending') return 'analysing…';
  return row.analysedAt ? timeAgo(row.analysedAt, now) : 'failed';
}

function migrationText(m: FleetMigrationStatus): string {
  if (m.status === 'error') return 'unreadable';
  const parts = [];
  if (m.pending) parts.push(`${m.pending} pending`);
  if (m.failed) parts.push(`${m.failed} failed/drift`);
  return parts.length ? parts.join(', ') : m.currentVersion ?? 'none applied';
}

/** A cell whose text links to what fixes it (or a dash when there is nothing). */
function LinkCell(props: { text: string; href?: string; label: string }) {
  return (
    <Cell>
      {props.href ? (
        <Link href={props.href} aria-label={props.label}>
          {props.text}
        </Link>
      ) : (
        <Text variant="body-small">{props.text}</Text>
      )}
    </Cell>
  );
}

/** The columns: one per configured migration environment among them. */
export function fleetColumns(
  environments: string[],
  now: number,
): ColumnConfig<FleetRow>[] {
  const problems = (row: FleetRow, n: number, what: string) => (
    <LinkCell
      text={row.status === 'analysed' ? String(n) : '—'}
      href={n > 0 ? architectureHref(row) : undefined}
      label={`${n} ${what} of ${row.name}: open the Architecture tab`}
    />
  );
  return [
    {
      id: 'service',
      label: 'Service',
      isRowHeader: true,
      isSortable: true,
      cell: row => (
        <CellText
          title={row.title ?? row.name}
          description={row.status === 'error' ? row.error : undefined}
          href={entityHref(row)}
        />
      ),
    },
    {
      id: 'team',
      label: 'Team',
      isSortable: true,
      cell: row => <CellText title={shortRef(row.owner)} />,
    },
    {
      id: 'system',
      label: 'System',
      isSortable: true,
      cell: row => <CellText title={shortRef(row.system)} />,
    },
    {
      id: 'template',
      label: 'Template version',
      isSortable: true,
      cell: row => {
        const t = row.template;
        if (!t)
          return (
            <CellText title={row.status === 'pending' ? '—' : 'not recorded'} />
          );
        const text =
          t.current === undefined
            ? t.recorded
            : `${t.recorded} (current ${t.current})`;
        return (
          <LinkCell
            text={text}
            href={t.behind ? upgradeHref(row) : undefined}
            label={`Upgrade ${row.name} from ${t.recorded} to ${t.current}`}
          />
        );
      },
    },
    {
      id: 'upgrade',
      label: 'Upgrade',
      isSortable: true,
      cell: row => {
        if (row.upgradeBranches.length)
          return (
            <Cell>
              <Flex direction="column" gap="1">
                <StatusChip status="open" tone="warning" />
                <Text variant="body-small">
                  {row.upgradeBranches.join(', ')}
                </Text>
              </Flex>
            </Cell>
          );
        return row.template?.behind ? (
          <LinkCell
            text="Upgrade…"
            href={upgradeHref(row)}
            label={`Open the upgrade template for ${row.name}`}
          />
        ) : (
          <CellText title="—" />
        );
      },
    },
    {
      id: 'violations',
      label: 'Dependency violations',
      isSortable: true,
      cell: row =>
        problems(row, row.dependencyViolations, 'dependency violations'),
    },
    {
      id: 'protos',
      label: 'Proto problems',
      isSortable: true,
      cell: row => problems(row, row.protoProblems, 'proto problems'),
    },
    ...environments.map(
      (env): ColumnConfig<FleetRow> => ({
        id: `env:${env}`,
        label: `Migrations: ${env}`,
        isSortable: true,
        cell: row => {
          const m = row.migrations.find(x => x.name === env);
          if (!m) return <CellText title="—" />;
          return (
            <Cell>
              <Flex direction="column" gap="1">
                <StatusChip status={m.status} />
                {m.status === 'ok' ? (
                  <Text variant="body-small">{migrationText(m)}</Text>
                ) : (
                  <Link
                    href={architectureHref(row)}
                    aria-label={`Migrations of ${row.name} in ${env}: open the Architecture tab`}
                  >
                    {migrationText(m)}
                  </Link>
                )}
              </Flex>
            </Cell>
          );
        },
      }),
    ),
    {
      id: 'analysed',
      label: 'Last analysis',
      isSortable: true,
      cell: row => (
        <CellText
          title={analysisTitle(row, now)}
          description={row.refreshing ? 'refreshing' : undefined}
        />
      ),
    },
  ];
}

/** The fleet as a table: sortable by any column, 50 rows a page. */
export function FleetTable(props: {
  rows: FleetRow[];
  environments: string[];
  now: number;
}) {
  const { rows, environments, now } = props;
  const columns = useMemo(
    () => fleetColumns(environments, now),
    [environments, now],
  );
  const { tableProps } = useTable<FleetRow>({
    mode: 'complete',
    data: rows,
    initialSort: { column: 'service', direction: 'ascending' },
    sortFn: sortFleet,
    paginationOptions: { pageSize: 50, pageSizeOptions: [25, 50, 100, 500] },
  });
  return (
    <Table
      {...tableProps}
      columnConfig={columns}
      emptyState={<Text>No golden-path Go service matches.</Text>}
    />
  );
}
