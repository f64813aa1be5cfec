import { useEffect, useState } from 'react';
import { useApi, useApiHolder } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { techdocsStorageApiRef } from '@backstage/plugin-techdocs-react';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_TECHDOCS_REF,
  type DocsBuildFailure,
  docsPath,
  docsSource,
  firstLinesOfBuildError,
} from './docsBuild';

/**
 * Builds (when needed) the TechDocs of the given entities through the
 * TechDocs storage API (its sync builds when needed and rejects with the
 * build error) and returns those whose build failed. Runs when the
 * refs or `attempt` change, not on every poll: a failed build is not cached
 * by TechDocs, so each check builds again.
 */
export function useDocsBuildFailures(
  entityRefs: string[],
  attempt = 0,
): DocsBuildFailure[] {
  const catalogApi = useApi(catalogApiRef);
  // Apps without TechDocs have no storage API: then nothing is checked.
  const storageApi = useApiHolder().get(techdocsStorageApiRef);
  // Keyed by the refs checked, so another team's failures never show.
  const [state, setState] = useState<{
    key: string;
    failures: DocsBuildFailure[];
  }>({ key: '', failures: [] });
  const key = entityRefs.join(',');

  useEffect(() => {
    let cancelled = false;
    const refs = key ? key.split(',') : [];
    if (!refs.length || !storageApi) return undefined;
    (async () => {
      let entities: (Entity | undefined)[];
      try {
        ({ items: entities } = await catalogApi.getEntitiesByRefs({
          entityRefs: refs,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
          ],
        }));
      } catch {
        return; // the steps already say when the catalog is down
      }
      const withDocs = entities.filter((e): e is Entity =>
        Boolean(e?.metadata.annotations?.[ANNOTATION_TECHDOCS_REF]),
      );
      const results = await Promise.all(
        withDocs.map(async (entity): Promise<DocsBuildFailure | undefined> => {
          try {
            await storageApi.syncEntityDocs(getCompoundEntityRef(entity));
            return undefined;
          } catch (e) {
            const entityRef = stringifyEntityRef(entity);
            return {
              entityRef,
              source: docsSource(entity),
              error: firstLinesOfBuildError(
                e instanceof Error ? e.message : String(e),
              ),
              docsPath: docsPath(entityRef),
            };
          }
        }),
      );
      if (!cancelled) {
        setState({
          key,
          failures: results.filter((f): f is DocsBuildFailure => Boolean(f)),
        });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [catalogApi, storageApi, key, attempt]);

  return state.key === key ? state.failures : [];
}
