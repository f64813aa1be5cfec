import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_TECHDOCS_REF,
  DocsBuildFailure,
  docsSource,
  firstLinesOfBuildError,
} from '@golden-path/plugin-golden-path-common';

/** How the probe paces TechDocs builds. */
export interface DocsBuildProbeOptions {
  /** How long a probe's answer is reused before TechDocs is asked again. */
  reuseMs: number;
  /** How long a request waits for probes; slower ones are shown on a later request. */
  waitMs: number;
  /** When a build is given up (TechDocs is asked to build the docs when they are stale). */
  timeoutMs: number;
}

export const DEFAULT_DOCS_BUILD_PROBE_OPTIONS: DocsBuildProbeOptions = {
  reuseMs: 60_000,
  waitMs: 4_000,
  timeoutMs: 300_000,
};

/** What TechDocs' sync stream ended with. */
type SyncOutcome = { error: string } | { finished: true };

/** The `event:`/`data:` pairs of a text/event-stream body. */
export function parseEventStream(
  body: string,
): Array<{ event: string; data: string }> {
  return body
    .split(/\r?\n\r?\n/)
    .map(block => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:'))
          data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: data.join('\n') };
    })
    .filter(e => e.data !== '');
}

interface Entry {
  at: number;
  /** The last answer: a failure, or null for docs that built. */
  value?: DocsBuildFailure | null;
  pending?: Promise<void>;
}

/**
 * Builds (when stale) the TechDocs of an entity through the TechDocs
 * backend's own sync endpoint, as the reader in the browser would, and
 * names those whose build failed. TechDocs is called with a plugin request
 * token on behalf of the caller, so it reads the entity with their access.
 * A failed build is not cached by TechDocs (each sync builds again), so
 * answers are reused for {@link DocsBuildProbeOptions.reuseMs}; a request
 * waits at most {@link DocsBuildProbeOptions.waitMs} and a slower build is
 * reported on a later request. A TechDocs that is not installed or does not
 * answer is logged, and its entities are left out.
 */
export class DocsBuildProbe {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      fetchImpl?: typeof fetch;
    },
    private readonly options: DocsBuildProbeOptions = DEFAULT_DOCS_BUILD_PROBE_OPTIONS,
  ) {}

  /** The failed builds among the entities (those without docs are skipped). */
  async failures(
    entities: Entity[],
    credentials: BackstageCredentials,
    opts: { refresh?: boolean } = {},
  ): Promise<DocsBuildFailure[]> {
    const withDocs = entities.filter(e =>
      Boolean(e.metadata.annotations?.[ANNOTATION_TECHDOCS_REF]),
    );
    const now = Date.now();
    const entries = withDocs.map(entity => {
      const ref = stringifyEntityRef(entity);
      let entry = this.entries.get(ref);
      if (!entry) {
        entry = { at: 0 };
        this.entries.set(ref, entry);
      }
      const stale = now - entry.at >= this.options.reuseMs;
      if (!entry.pending && (opts.refresh || stale)) {
        const target = entry;
        target.at = now;
        target.pending = this.probe(entity, credentials)
          .then(value => {
            target.value = value;
          })
          .catch(e => {
            this.deps.logger.warn(
              `golden-path: the TechDocs build of ${ref} could not be checked: ${e}`,
            );
          })
          .finally(() => {
            target.pending = undefined;
          });
      }
      return entry;
    });
    const pending = entries.flatMap(e => (e.pending ? [e.pending] : []));
    if (pending.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(pending),
        new Promise(resolve => {
          timer = setTimeout(resolve, this.options.waitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    return entries.flatMap(e => (e.value ? [e.value] : []));
  }

  /** One sync: null when the docs are up to date or built, else the failure. */
  private async probe(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<DocsBuildFailure | null> {
    const { discovery, auth } = this.deps;
    const fetchImpl = this.deps.fetchImpl ?? fetch;
    const baseUrl = await discovery.getBaseUrl('techdocs');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'techdocs',
    });
    const { kind, namespace, name } = getCompoundEntityRef(entity);
    const path = `/sync/${[namespace, kind, name]
      .map(encodeURIComponent)
      .join('/')}`;
    const res = await fetchImpl(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!res.ok) {
      throw new Error(
        `TechDocs answered ${res.status} ${res.statusText} for /sync`,
      );
    }
    const outcome = syncOutcome(await res.text());
    if ('finished' in outcome) return null;
    return {
      entityRef: stringifyEntityRef(entity),
      source: docsSource(entity),
      error: firstLinesOfBuildError(outcome.error),
    };
  }
}

function syncOutcome(body: string): SyncOutcome {
  const events = parseEventStream(body);
  const error = events.find(e => e.event === 'error');
  if (error) return { error: error.data };
  if (events.some(e => e.event === 'finish')) return { finished: true };
  throw new Error('the TechDocs sync stream ended without finish or error');
}
