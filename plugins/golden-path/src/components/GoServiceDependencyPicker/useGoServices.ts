import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { loadGoServices } from './goServices';

/** The catalog's Go services, loaded once per form. */
export function useGoServices() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(() => loadGoServices(catalogApi), [catalogApi]);
}
