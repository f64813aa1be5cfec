import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { GoServiceInsights } from '@golden-path/plugin-golden-path-common';
import { goldenPathInsightsApiRef } from '../api';

/** The state of an entity's insights while they load. */
export interface InsightsState {
  loading: boolean;
  value?: GoServiceInsights;
  error?: Error;
  /**
   * Set when the last refresh was deferred by the backend (asked sooner than
   * its refreshMinInterval): `value` is the cached analysis.
   */
  deferred?: { retryAfterSeconds?: number };
  /** Reads the insights again, skipping the backend's cache. */
  refresh: () => void;
}

/** Loads the insights of an entity (once per entity, again on refresh). */
export function useGoldenPathInsights(entity: Entity): InsightsState {
  const api = useApi(goldenPathInsightsApiRef);
  const [refreshCount, setRefreshCount] = useState(0);
  const { kind } = entity;
  const { namespace, name } = entity.metadata;
  const { loading, value, error } = useAsync(async () => {
    const ref = { kind, namespace, name };
    if (refreshCount === 0) return { insights: await api.getInsights(ref) };
    const result = await api.refreshInsights(ref);
    return result.refresh === 'deferred'
      ? {
          insights: result.insights,
          deferred: { retryAfterSeconds: result.retryAfterSeconds },
        }
      : { insights: result.insights };
  }, [api, kind, namespace, name, refreshCount]);
  const refresh = useCallback(() => setRefreshCount(c => c + 1), []);
  return {
    loading,
    value: value?.insights,
    error,
    deferred: value?.deferred,
    refresh,
  };
}
