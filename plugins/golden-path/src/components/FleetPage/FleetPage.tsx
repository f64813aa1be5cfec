import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ResponseError } from '@backstage/errors';
import {
  Alert,
  Box,
  Button,
  Flex,
  Select,
  Skeleton,
  Text,
} from '@backstage/ui';
import { FleetTable } from './FleetTable';
import { filterFleet, FleetRow } from './fleetSort';
import { useFleet } from './useFleet';

const ANY = '*';

/** The backend's own message of a failed request, else the error's. */
function errorMessage(error: Error): string {
  return error instanceof ResponseError
    ? error.body?.error?.message ?? error.message
    : error.message;
}

/** The choices of a filter: the values present in the fleet, sorted. */
function choices(values: (string | undefined)[], any: string) {
  const present = [...new Set(values.filter((v): v is string => !!v))].sort();
  return [
    { value: ANY, label: any },
    ...present.map(v => ({ value: v, label: v })),
  ];
}

/**
 * The fleet view: every golden-path Go service the user may see, with its
 * team, template version against the current one, open upgrade,
 * dependency-rule violations, proto problems, migrations per environment
 * and last analysis; filtered by team and system (`?team=&system=`), sorted
 * by any column, each cell linking to what fixes it.
 *
 * @public
 */
export function FleetPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const team = searchParams.get('team') ?? undefined;
  const system = searchParams.get('system') ?? undefined;
  const fleet = useFleet();

  const rows: FleetRow[] = useMemo(
    () => (fleet.value?.items ?? []).map(i => ({ ...i, id: i.entityRef })),
    [fleet.value],
  );
  const shown = useMemo(
    () => filterFleet(rows, { team, system }),
    [rows, team, system],
  );
  const now = useMemo(
    () => Date.parse(fleet.value?.generatedAt ?? '') || Date.now(),
    [fleet.value],
  );

  const setParam = (key: 'team' | 'system', value: string | undefined) => {
    const next = new URLSearchParams(searchParams);
    if (value && value !== ANY) next.set(key, value);
    else next.delete(key);
    setSearchParams(next, { replace: true });
  };

  const value = fleet.value;
  const behind = shown.filter(r => r.template?.behind).length;
  const failing = shown.filter(
    r =>
      r.dependencyViolations > 0 ||
      r.migrations.some(m => m.status === 'failed' || m.status === 'drift'),
  ).length;

  return (
    <Flex direction="column" gap="4" p="4">
      <Text as="p">
        Every golden-path Go service you may see. Each cell links to what fixes
        it: the upgrade template with the service filled in, or the service's
        Architecture tab.
      </Text>
      <Flex align="end" gap="3">
        <Box style={{ minWidth: 280 }}>
          <Select
            label="Team"
            options={choices(
              rows.map(r => r.owner),
              'All teams',
            )}
            selectedKey={team ?? ANY}
            onSelectionChange={key => setParam('team', String(key))}
          />
        </Box>
        <Box style={{ minWidth: 280 }}>
          <Select
            label="System"
            options={choices(
              rows.map(r => r.system),
              'All systems',
            )}
            selectedKey={system ?? ANY}
            onSelectionChange={key => setParam('system', String(key))}
          />
        </Box>
        <Button
          variant="secondary"
          onPress={() => fleet.reload()}
          isDisabled={fleet.loading}
        >
          Read again
        </Button>
      </Flex>
      {fleet.error && (
        <Alert
          status="danger"
          title={`The fleet could not be read: ${errorMessage(fleet.error)}`}
        />
      )}
      {!value && fleet.loading && <Skeleton width="100%" height={320} />}
      {value && (
        <>
          <Text as="p" variant="body-small" aria-label="fleet summary">
            {shown.length} of {value.total} services shown; {behind} behind the
            template, {failing} with violations or failed migrations
            {value.pending > 0
              ? `; ${value.pending} being analysed (the page updates as they finish)`
              : ''}
            .
          </Text>
          <FleetTable
            rows={shown}
            environments={value.environments}
            now={now}
          />
        </>
      )}
    </Flex>
  );
}
