import { useCallback, useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Alert,
  Box,
  Button,
  ButtonLink,
  Card,
  CardBody,
  Flex,
  Select,
  Skeleton,
  Text,
} from '@backstage/ui';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useSearchParams } from 'react-router-dom';
import type {
  DocsBuildFailure,
  OnboardingRun,
  OnboardingStep,
  TeamOnboarding,
} from '@golden-path/plugin-golden-path-common';
import { goldenPathOnboardingApiRef } from '../../api/GoldenPathOnboardingApi';
import { StatusChip } from '../common/StatusChip';
import { stepHref } from './stepLink';
import { docsBuildFailureMessage, docsPath } from './docsBuild';

const STEP_TONES = {
  done: 'success',
  open: 'warning',
  blocked: 'neutral',
  unknown: 'danger',
} as const;

/** How often the open page reads the steps again (catalog and cached insights). */
export const POLL_INTERVAL_MS = 10_000;

/**
 * The team named by the page's `?team=` parameter, as the catalog writes
 * group references: `team-orders`, `group:team-orders` and
 * `group:default/team-orders` all name `group:default/team-orders`.
 */
export function teamRefFromParam(
  value: string | null | undefined,
): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined; // not a reference: as if no team were named
  }
}

/** One step: its status, what was found, and the link that closes it. */
export function OnboardingStepRow(props: {
  step: OnboardingStep;
  index: number;
}) {
  const { step, index } = props;
  return (
    <Box
      py="3"
      style={{ borderBottom: '1px solid var(--bui-border)' }}
      aria-label={`Step ${index + 1}: ${step.title}`}
      data-step={step.id}
      data-status={step.status}
    >
      <Flex align="center" justify="between" gap="3">
        <Flex direction="column" gap="1">
          <Flex align="center" gap="2">
            <Text weight="bold">
              {index + 1}. {step.title}
            </Text>
            <StatusChip status={step.status} tone={STEP_TONES[step.status]} />
          </Flex>
          <Text variant="body-small">{step.message}</Text>
        </Flex>
        {step.action && (
          <ButtonLink
            href={stepHref(step.action)}
            variant={step.status === 'open' ? 'primary' : 'secondary'}
          >
            {step.action.title}
          </ButtonLink>
        )}
      </Flex>
    </Box>
  );
}

/** A failed or cancelled onboarding run and what it left unregistered. */
export function OnboardingRunAlert(props: { run: OnboardingRun }) {
  const { run } = props;
  return (
    <Alert
      status={run.unregistered.length ? 'danger' : 'warning'}
      title={run.message}
      aria-label={`onboarding run ${run.taskId}`}
      customActions={
        <ButtonLink
          href={`/create/tasks/${encodeURIComponent(run.taskId)}`}
          variant="secondary"
          size="small"
        >
          Open the run
        </ButtonLink>
      }
    />
  );
}

/** Docs of a listed entity that failed to build, with a link to their log. */
export function DocsBuildAlert(props: { failure: DocsBuildFailure }) {
  const { failure } = props;
  return (
    <Alert
      status="danger"
      title={docsBuildFailureMessage(failure)}
      aria-label={`docs build of ${failure.entityRef}`}
      customActions={
        <ButtonLink
          href={docsPath(failure.entityRef)}
          variant="secondary"
          size="small"
        >
          Open the docs page
        </ButtonLink>
      }
    />
  );
}

/** The steps of one team, with its progress. */
export function TeamOnboardingView(props: {
  onboarding: TeamOnboarding;
  onCheckAgain?: () => void;
  checking?: boolean;
}) {
  const { onboarding, onCheckAgain, checking } = props;
  return (
    <Flex direction="column" gap="3">
      {(onboarding.docsBuildFailures ?? []).map(failure => (
        <DocsBuildAlert key={failure.entityRef} failure={failure} />
      ))}
      {onboarding.runsError && (
        <Alert status="warning" title={onboarding.runsError} />
      )}
      {(onboarding.runs ?? []).map(run => (
        <OnboardingRunAlert key={run.taskId} run={run} />
      ))}
      <Card>
        <CardBody>
          <Flex align="center" justify="between" gap="3">
            <Text as="p" variant="body-small" aria-label="progress">
              {onboarding.done} of {onboarding.total} steps done for{' '}
              {onboarding.teamRef}
            </Text>
            {onCheckAgain && (
              <Button
                variant="secondary"
                size="small"
                onPress={onCheckAgain}
                isDisabled={checking}
              >
                {checking ? 'Checking…' : 'Check again'}
              </Button>
            )}
          </Flex>
          {onboarding.steps.map((step, i) => (
            <OnboardingStepRow key={step.id} step={step} index={i} />
          ))}
        </CardBody>
      </Card>
    </Flex>
  );
}

/**
 * A team's onboarding, read when the team changes, every
 * {@link POLL_INTERVAL_MS} while the page is open (so steps turn green as
 * entities are registered), and on demand with `refresh` (the insights are
 * analysed again, e.g. after migrations were applied).
 */
function useTeamOnboarding(team: string | undefined) {
  const onboardingApi = useApi(goldenPathOnboardingApiRef);
  const [state, setState] = useState<{
    team?: string;
    value?: TeamOnboarding;
    error?: Error;
    checking: boolean;
  }>({ checking: false });

  const load = useCallback(
    async (refresh: boolean) => {
      if (!team) return;
      setState(s => ({ ...s, checking: refresh }));
      try {
        const value = await (refresh
          ? onboardingApi.getOnboarding(team, { refresh: true })
          : onboardingApi.getOnboarding(team));
        setState({ team, value, checking: false });
      } catch (error) {
        setState({ team, error: error as Error, checking: false });
      }
    },
    [onboardingApi, team],
  );

  useEffect(() => {
    setState({ checking: false });
    if (!team) return undefined;
    load(false);
    const timer = setInterval(() => load(false), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [team, load]);

  const current = state.team === team ? state : { checking: false };
  return {
    value: current.value,
    error: current.error,
    loading: Boolean(team) && !current.value && !current.error,
    checking: current.checking,
    checkAgain: () => load(true),
  };
}

/**
 * The Golden Path page: pick a team, see its onboarding steps with live
 * status from the catalog and the insights backend, and follow the link that
 * closes the next one.
 */
export function GoldenPathPage() {
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  // the team in the URL wins (links from the onboarding template, shared
  // links); else the user's own team; picking one writes it to the URL
  const [searchParams, setSearchParams] = useSearchParams();
  const urlTeam = teamRefFromParam(searchParams.get('team'));
  const [ownTeam, setOwnTeam] = useState<string | undefined>();
  const team = urlTeam ?? ownTeam;
  const setTeam = useCallback(
    (ref: string | undefined) => {
      const next = new URLSearchParams(searchParams);
      if (ref) next.set('team', ref);
      else next.delete('team');
      setSearchParams(next, { replace: true });
    },
    [searchParams, setSearchParams],
  );

  const groups = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items.map(g => ({
      ref: stringifyEntityRef(g),
      label:
        (g.spec as any)?.profile?.displayName ??
        g.metadata.title ??
        g.metadata.name,
    }));
  }, [catalogApi]);

  const mine = useAsync(
    async () => (await identityApi.getBackstageIdentity()).ownershipEntityRefs,
    [identityApi],
  );
  useEffect(() => {
    if (team || !mine.value || !groups.value) return;
    const own = mine.value.find(
      r => r.startsWith('group:') && groups.value!.some(g => g.ref === r),
    );
    if (own) setOwnTeam(own);
  }, [team, mine.value, groups.value]);

  const onboarding = useTeamOnboarding(team);
  const options = useMemo(() => {
    const listed = (groups.value ?? []).map(g => ({
      value: g.ref,
      label: `${g.label} (${g.ref})`,
    }));
    // a team named in the URL that the catalog does not list (yet: just
    // onboarded, still being processed) is still the one shown
    if (team && !listed.some(o => o.value === team)) {
      listed.unshift({
        value: team,
        label: groups.loading ? team : `${team} (not in the catalog yet)`,
      });
    }
    return listed;
  }, [groups.value, groups.loading, team]);

  return (
    <Flex direction="column" gap="4" p="4">
      <Text as="p">
        The golden path from a new team to a first running Go service. Each step
        turns green as the catalog and the service's insights show it done; the
        button beside an open step takes you to what closes it.
      </Text>
      <Flex align="end" gap="3">
        <Box style={{ minWidth: 360 }}>
          <Select
            label="Team"
            placeholder={groups.loading ? 'Loading teams…' : 'Pick your team'}
            options={options}
            selectedKey={team ?? null}
            onSelectionChange={key => setTeam(key ? String(key) : undefined)}
          />
        </Box>
        <ButtonLink
          href={stepHref({
            type: 'template',
            title: '',
            templateRef: 'template:default/onboard-team',
            formData: {},
          })}
        >
          Start onboarding a new team
        </ButtonLink>
      </Flex>
      {groups.error && (
        <Alert
          status="danger"
          title={`The catalog could not list teams: ${groups.error.message}`}
        />
      )}
      {!team && !groups.loading && !groups.error && (
        <Text>
          Pick your team to see its steps, or start onboarding a new team.
        </Text>
      )}
      {team && onboarding.loading && <Skeleton width="100%" height={240} />}
      {team && onboarding.error && (
        <Alert
          status="danger"
          title={`The steps of ${team} could not be read: ${onboarding.error.message}`}
        />
      )}
      {team && onboarding.value && (
        <TeamOnboardingView
          onboarding={onboarding.value}
          onCheckAgain={onboarding.checkAgain}
          checking={onboarding.checking}
        />
      )}
    </Flex>
  );
}
