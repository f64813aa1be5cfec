import type { FleetServiceSummary } from '@golden-path/plugin-golden-path-common';

/** A row of the table: the summary with the id the table keys rows by. */
export type FleetRow = FleetServiceSummary & { id: string };

/** How bad a migration status is, for sorting (worst last ascending). */
const MIGRATION_RANK = { ok: 0, pending: 1, drift: 2, failed: 3, error: 4 };

/** A sortable value of each column; `env:<name>` for an environment's column. */
export function sortValue(row: FleetRow, column: string): string | number {
  if (column.startsWith('env:')) {
    const env = row.migrations.find(m => m.name === column.slice(4));
    if (!env) return -1;
    return MIGRATION_RANK[env.status] * 10_000 + env.failed * 100 + env.pending;
  }
  switch (column) {
    case 'service':
      return row.title ?? row.name;
    case 'team':
      return row.owner ?? '';
    case 'system':
      return row.system ?? '';
    case 'template':
      // behind first when descending; unknown in between
      return row.template
        ? `${row.template.behind ? 1 : 0}:${row.template.recorded}`
        : '';
    case 'upgrade':
      return row.upgradeBranches.length * 2 + (row.template?.behind ? 1 : 0);
    case 'violations':
      return row.dependencyViolations + row.layoutProblems / 1000;
    case 'protos':
      return row.protoProblems;
    case 'analysed':
      return row.analysedAt ?? '';
    default:
      return '';
  }
}

/** The rows sorted by one column; ties keep the service name order. */
export function sortFleet(
  rows: FleetRow[],
  sort: { column: string | number; direction: 'ascending' | 'descending' },
): FleetRow[] {
  const column = String(sort.column);
  const sign = sort.direction === 'descending' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y));
    return c !== 0 ? sign * c : a.name.localeCompare(b.name);
  });
}

/** The rows of one team and one system (entity refs; undefined: any). */
export function filterFleet(
  rows: FleetRow[],
  filter: { team?: string; system?: string },
): FleetRow[] {
  return rows.filter(
    r =>
      (!filter.team || r.owner === filter.team) &&
      (!filter.system || r.system === filter.system),
  );
}
