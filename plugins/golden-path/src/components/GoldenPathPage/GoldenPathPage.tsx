import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Alert,
  Box,
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
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  OnboardingStep,
  TeamOnboarding,
} from '@golden-path/plugin-golden-path-common';
import { goldenPathOnboardingApiRef } from '../../api/GoldenPathOnboardingApi';
import { StatusChip } from '../common/StatusChip';
import { stepHref } from './stepLink';

const STEP_TONES = {
  done: 'success',
  open: 'warning',
  blocked: 'neutral',
  unknown: 'danger',
} as const;

function teamFromUrl(): string | undefined {
  return new URLSearchParams(window.location.search).get('team') ?? undefined;
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

/** The steps of one team, with its progress. */
export function TeamOnboardingView(props: { onboarding: TeamOnboarding }) {
  const { onboarding } = props;
  return (
    <Card>
      <CardBody>
        <Text as="p" variant="body-small" aria-label="progress">
          {onboarding.done} of {onboarding.total} steps done for{' '}
          {onboarding.teamRef}
        </Text>
        {onboarding.steps.map((step, i) => (
          <OnboardingStepRow key={step.id} step={step} index={i} />
        ))}
      </CardBody>
    </Card>
  );
}

/**
 * The Golden Path page: pick a team, see its onboarding steps with live
 * status from the catalog and the insights backend, and follow the link that
 * closes the next one.
 */
export function GoldenPathPage() {
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  const onboardingApi = useApi(goldenPathOnboardingApiRef);
  const [team, setTeam] = useState<string | undefined>(teamFromUrl);

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
    if (own) setTeam(own);
  }, [team, mine.value, groups.value]);

  const onboarding = useAsync(
    async () => (team ? onboardingApi.getOnboarding(team) : undefined),
    [onboardingApi, team],
  );
  const options = useMemo(
    () =>
      (groups.value ?? []).map(g => ({
        value: g.ref,
        label: `${g.label} (${g.ref})`,
      })),
    [groups.value],
  );

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
        <TeamOnboardingView onboarding={onboarding.value} />
      )}
    </Flex>
  );
}
