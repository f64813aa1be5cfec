import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { FleetResponse } from '@golden-path/plugin-golden-path-common';
import { goldenPathFleetApiRef } from '../../api/GoldenPathFleetApi';

/** How often the page asks again while services are still being analysed. */
export const PENDING_POLL_MS = 2_000;
/** How often an open page reads the fleet again once everything is analysed. */
export const IDLE_POLL_MS = 60_000;

/**
 * The fleet, read when the page opens and again every
 * {@link PENDING_POLL_MS} while the backend is still analysing some
 * services (their rows say `pending`), then every {@link IDLE_POLL_MS}.
 */
export function useFleet() {
  const fleetApi = useApi(goldenPathFleetApiRef);
  const [state, setState] = useState<{
    value?: FleetResponse;
    error?: Error;
    loading: boolean;
  }>({ loading: true });
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const alive = useRef(true);

  const load = useCallback(async () => {
    clearTimeout(timer.current);
    let next = IDLE_POLL_MS;
    try {
      const value = await fleetApi.getFleet();
      if (!alive.current) return;
      setState({ value, loading: false });
      if (value.pending > 0 || value.items.some(i => i.refreshing))
        next = PENDING_POLL_MS;
    } catch (e) {
      if (!alive.current) return;
      setState(s => ({ ...s, error: e as Error, loading: false }));
    }
    timer.current = setTimeout(load, next);
  }, [fleetApi]);

  useEffect(() => {
    alive.current = true;
    load();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [load]);

  return { ...state, reload: load };
}
