import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { InputError, isError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_GO_SERVICE,
  FleetResponse,
  FleetServiceSummary,
  goldenPathInsightsReadPermission,
} from '@golden-path/plugin-golden-path-common';
import path from 'node:path';
import { normalizeServiceDir } from '../analysis';
import {
  compareTemplateVersion,
  FleetAnalysisSummary,
  summarizeInsights,
} from './fleetSummary';
import { FleetSourceFacts, readFleetSourceFacts } from './fleetSource';
import type { InsightsService } from './InsightsService';
import { publicError } from './publicErrors';
import { entitySourceLocation, formatSourceLocation } from './sourceLocation';
import { checkRefParts } from './entityRefParams';
import { checkSourceProvenance } from './sourceProvenance';

/** The annotation holding a template's human version (docs/template-versions.md). */
export const ANNOTATION_TEMPLATE_VERSION = 'golden-path.dev/template-version';
/** The template a service made before versions were recorded is compared with. */
const DEFAULT_TEMPLATE = 'go-service';

/** What the fleet keeps per service. */
interface FleetEntry {
  /** The clock's time when made. */
  at: number;
  analysis?: FleetAnalysisSummary;
  facts?: FleetSourceFacts;
  error?: string;
}

/** The fleet's settings. */
export interface FleetSettings {
  /** How long a summary is current (the insights' cacheTtl); an older one is shown while it is made again. */
  ttlMs: number;
  /** The migration environments configured, by name, in order. */
  environments: string[];
  localRoots: string[];
  /** Analyses running at once (default 4: their files are read at once, the worker analyses one at a time). */
  concurrency?: number;
  /** Services whose summaries are kept (default 20,000; a summary is well under 1 KiB). */
  maxEntries?: number;
  /** A failed analysis is tried again after this long (default 60 s, at most the TTL). */
  retryMs?: number;
  /** Entities per permission request (default 200; the permission backend takes at most 100 KB a request). */
  authorizeBatchSize?: number;
  /** The clock (tests). */
  now?: () => number;
}

/** Fields of the catalog read: what a row needs, not the whole entity. */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.annotations',
  'relations',
];

/** `platform-team` → `group:default/platform-team`; one line when it is not a reference. */
export function filterRef(
  value: unknown,
  param: 'team' | 'system',
): string | undefined {
  if (value === undefined || value === '') return undefined;
  const kind = param === 'team' ? 'group' : 'system';
  if (typeof value !== 'string' || value.length > 300)
    throw new InputError(
      `${param}: give one ${kind} reference, e.g. ${param}=${
        param === 'team' ? 'platform-team' : 'shop'
      } or ${kind}:default/…`,
    );
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `${param} "${value.slice(0, 80)}" is not an entity reference (${
        isError(e) ? e.message : e
      }); write e.g. ${kind}:default/name`,
    );
  }
  checkRefParts(ref, param);
  if (ref.kind.toLocaleLowerCase('en-US') !== kind)
    throw new InputError(
      `${param} "${value.slice(0, 80)}" is a ${ref.kind}, not a ${kind}`,
    );
  return stringifyEntityRef(ref);
}

const relationTarget = (entity: Entity, type: string) =>
  entity.relations?.find(r => r.type === type)?.targetRef;

/**
 * The fleet view: every golden-path Go service the caller may see (catalog
 * read with their credentials) and read the insights of (one batched
 * permission check), each as a small summary of its cached analysis.
 *
 * A service with no summary yet is listed as `pending` and analysed in the
 * background (at most `concurrency` at once, each service once however many
 * requests ask); the page asks again until nothing is pending. The answer
 * never waits for an analysis, so it is as fast with 500 cold services as
 * with 500 analysed ones. Summaries older than the TTL are shown (with
 * `refreshing`) while they are made again. The summaries live in this
 * process (bounded, least recently used dropped), not in the insights cache:
 * the fleet does not need the insights cache to hold the whole fleet.
 */
export class FleetService {
  private readonly entries = new Map<string, FleetEntry>();
  private readonly inFlight = new Set<string>();
  private readonly queue: Array<() => Promise<void>> = [];
  private active = 0;
  private readonly concurrency: number;
  private readonly maxEntries: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      insights: InsightsService;
      urlReader: UrlReaderService;
      logger: LoggerService;
    },
    private readonly settings: FleetSettings,
  ) {
    this.concurrency = settings.concurrency ?? 4;
    this.maxEntries = settings.maxEntries ?? 20_000;
    this.retryMs = Math.min(settings.retryMs ?? 60_000, settings.ttlMs);
    this.now = settings.now ?? Date.now;
  }

  /** Summaries kept and analyses queued or running, for tests and operators. */
  stats() {
    return {
      entries: this.entries.size,
      queued: this.queue.length,
      running: this.active,
    };
  }

  /** Resolves once no analysis is queued or running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.active > 0 || this.queue.length > 0)
      await new Promise(r => setTimeout(r, 10));
  }

  async getFleet(options: {
    credentials: BackstageCredentials;
    team?: string;
    system?: string;
  }): Promise<FleetResponse> {
    const { credentials } = options;
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_GO_SERVICE}`]:
            CATALOG_FILTER_EXISTS,
          ...(options.team ? { 'relations.ownedBy': options.team } : {}),
          ...(options.system ? { 'relations.partOf': options.system } : {}),
        },
        fields: FIELDS,
      },
      { credentials },
    );
    const services = items.filter(
      e => typeof e.metadata.annotations?.[ANNOTATION_GO_SERVICE] === 'string',
    );
    const refs = services.map(e => stringifyEntityRef(e));
    // Batched, in requests of at most `authorizeBatchSize` (the permission
    // backend refuses a body over 100 KB: 500 refs in one call is 413).
    const batch = this.settings.authorizeBatchSize ?? 200;
    const chunks: string[][] = [];
    for (let i = 0; i < refs.length; i += batch)
      chunks.push(refs.slice(i, i + batch));
    const decisions = (
      await Promise.all(
        chunks.map(chunk =>
          this.deps.permissions.authorize(
            chunk.map(resourceRef => ({
              permission: goldenPathInsightsReadPermission,
              resourceRef,
            })),
            { credentials },
          ),
        ),
      )
    ).flat();
    const allowed = services.filter(
      (_, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
    );

    const now = this.now();
    const rows = allowed.map(entity => this.row(entity, now));
    await this.fillCurrentVersions(rows, credentials);
    return {
      generatedAt: new Date(now).toISOString(),
      total: rows.length,
      pending: rows.filter(r => r.status === 'pending').length,
      environments: this.settings.environments,
      items: rows,
    };
  }

  /** The row of one service from its summary, starting its analysis when missing or old. */
  private row(entity: Entity, now: number): FleetServiceSummary {
    const entityRef = stringifyEntityRef(entity);
    const base = {
      entityRef,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      ...this.localPathOf(entity),
      owner: relationTarget(entity, 'ownedBy'),
      system: relationTarget(entity, 'partOf'),
      upgradeBranches: [] as string[],
      dependencyViolations: 0,
      layoutProblems: 0,
      protoProblems: 0,
      migrationProblems: 0,
      migrations: [],
    };
    let key: string;
    try {
      key = this.keyOf(entity);
    } catch (e) {
      return {
        ...base,
        status: 'error',
        error: isError(e) ? e.message : String(e),
      };
    }
    const entry = this.entries.get(key);
    if (entry) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    const age = entry ? now - entry.at : Infinity;
    const due =
      !entry || age > (entry.error ? this.retryMs : this.settings.ttlMs);
    if (due) this.schedule(key, entity);
    if (!entry) return { ...base, status: 'pending' };
    const refreshing = due || this.inFlight.has(key);
    const upgradeBranches = entry.facts?.upgradeBranches ?? [];
    const template = entry.facts?.template
      ? compareTemplateVersion(entry.facts.template, undefined)
      : undefined;
    if (entry.error || !entry.analysis)
      return {
        ...base,
        status: 'error',
        error: entry.error ?? 'no analysis',
        upgradeBranches,
        ...(template ? { template } : {}),
        ...(refreshing ? { refreshing } : {}),
      };
    const { analysedAt, ...counts } = entry.analysis;
    return {
      ...base,
      ...counts,
      status: 'analysed',
      analysedAt,
      upgradeBranches,
      ...(template ? { template } : {}),
      ...(refreshing ? { refreshing } : {}),
    };
  }

  /** A `dir:` monorepo directly under a local root: its directory name, the upgrade template's `localPath`. */
  private localPathOf(entity: Entity): { localPath?: string } {
    try {
      const location = entitySourceLocation(entity);
      if (location.type !== 'dir') return {};
      const dir = path.resolve(location.target);
      return this.settings.localRoots.includes(path.dirname(dir))
        ? { localPath: path.basename(dir) }
        : {};
    } catch {
      return {};
    }
  }

  /** The entity's ref and what its analysis reads: a changed location is another service. */
  private keyOf(entity: Entity): string {
    const annotations = entity.metadata.annotations ?? {};
    const serviceDir = normalizeServiceDir(annotations[ANNOTATION_GO_SERVICE]);
    const location = formatSourceLocation(entitySourceLocation(entity));
    return `${stringifyEntityRef(entity)}\0${location}\0${serviceDir}`;
  }

  private schedule(key: string, entity: Entity) {
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    this.queue.push(() => this.analyse(key, entity));
    this.pump();
  }

  private pump() {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      job().finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async analyse(key: string, entity: Entity): Promise<void> {
    const entityRef = stringifyEntityRef(entity);
    const entry: FleetEntry = { at: this.now() };
    try {
      const serviceDir = normalizeServiceDir(
        entity.metadata.annotations![ANNOTATION_GO_SERVICE],
      );
      const location = entitySourceLocation(entity);
      // The insights check it too; the recorded values and branches are read here.
      await checkSourceProvenance(entity, location, this.settings.localRoots);
      const [insights, facts] = await Promise.all([
        this.deps.insights.getInsights(entity),
        readFleetSourceFacts({
          location,
          serviceDir,
          urlReader: this.deps.urlReader,
          localRoots: this.settings.localRoots,
        }),
      ]);
      entry.analysis = summarizeInsights(insights);
      entry.facts = facts;
      if (facts.templateProblem)
        this.deps.logger.warn(
          `golden-path fleet: the recorded template version of ${entityRef} was not read: ${facts.templateProblem}`,
        );
    } catch (e) {
      // what a client may see: an internal error is logged with a log id
      entry.error = publicError(e, this.deps.logger).message.split('\n')[0];
      this.deps.logger.warn(
        `golden-path fleet: the analysis of ${entityRef} failed: ${entry.error}`,
      );
    } finally {
      entry.at = this.now();
      this.entries.delete(key);
      this.entries.set(key, entry);
      while (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
      }
      this.inFlight.delete(key);
    }
  }

  /**
   * The current version of each template the rows recorded, from the
   * template entities in the catalog (read with the caller's credentials:
   * unknown when they may not see the template).
   */
  private async fillCurrentVersions(
    rows: FleetServiceSummary[],
    credentials: BackstageCredentials,
  ) {
    const names = new Set<string>([DEFAULT_TEMPLATE]);
    for (const r of rows) if (r.template) names.add(r.template.name);
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind: 'template', 'metadata.name': [...names] },
        fields: ['metadata.namespace', 'metadata.name', 'metadata.annotations'],
      },
      { credentials },
    );
    const current = new Map<string, string>();
    // the default namespace's template wins over one of the same name elsewhere
    const sorted = [...items].sort(
      (a, b) =>
        Number((b.metadata.namespace ?? 'default') === 'default') -
        Number((a.metadata.namespace ?? 'default') === 'default'),
    );
    for (const t of sorted) {
      const v = t.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION];
      if (!current.has(t.metadata.name))
        current.set(t.metadata.name, v === undefined ? '0' : String(v));
    }
    for (const r of rows) {
      if (!r.template) continue;
      const now = current.get(r.template.name);
      if (now !== undefined) {
        r.template.current = now;
        r.template.behind = now !== r.template.recorded;
      }
    }
  }
}
