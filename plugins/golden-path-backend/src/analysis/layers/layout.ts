import type {
  GoLayer,
  GoPackageInsight,
} from '@golden-path/plugin-golden-path-common';
import { compareStrings } from '../sourceTree';

/*
 * Layouts other than the golden path's. Many Go services are layered without
 * `internal/<layer>/…`: a `domain/<context>` folder per bounded context,
 * `package main` at the service root, `internal/entity` + `internal/usecase`
 * (clean architecture), `internal/<context>/domain`. Their packages are
 * recognised by unambiguous folder names, so the dependency rule is checked
 * between the layers they do have, and a service that never claimed the
 * golden-path layout is told so once instead of being listed what it lacks.
 */

/** The golden-path layer folders: a service with two of them follows the layout. */
export const GOLDEN_PATH_LAYER_DIRS = [
  'internal/domain',
  'internal/application',
  'internal/adapter',
  'internal/infrastructure',
];

/**
 * Folder names that say which layer a package belongs to, whatever the
 * layout. Only names with one meaning: `repository`, `storage`, `config`,
 * `http` or `grpc` hold interfaces in one service, implementations or shared
 * helpers in another, and a classic layered service's use cases import its
 * repositories by design, so they name no layer here.
 */
const LAYER_NAMES: Record<string, Exclude<GoLayer, 'cmd' | 'other'>> = {
  domain: 'domain',
  entity: 'domain',
  entities: 'domain',
  application: 'application',
  usecase: 'application',
  usecases: 'application',
  adapter: 'adapter',
  adapters: 'adapter',
  handler: 'adapter',
  handlers: 'adapter',
  delivery: 'adapter',
  transport: 'adapter',
  rest: 'adapter',
  controller: 'adapter',
  controllers: 'adapter',
  infrastructure: 'infrastructure',
  infra: 'infrastructure',
};

/**
 * Folder names that say a layer only in the layout that uses them, known by
 * the folders beside them (an entry per set that is enough). `app` beside
 * `domain` (a bounded context's app/domain/infra) or `ports`: the use cases.
 * Three Dots Labs' (wild-workouts-go-ddd-example): `ports` (the HTTP and
 * gRPC handlers) beside `app` (the commands and queries), with `adapters`
 * and `service` (the wiring). Kratos' (kratos-layout): `biz` (entities, use
 * cases, the repository interfaces) beside `data` (their implementations),
 * with `service` (the API's handlers) and `server` (the servers). Alone,
 * `app` (go-clean-template's wiring), `service`, `data` or `server` can
 * name anything.
 */
const LAYOUT_NAMES: Array<{
  name: string;
  beside: string[];
  layer: Exclude<GoLayer, 'cmd' | 'other'>;
}> = [
  { name: 'app', beside: ['ports'], layer: 'application' },
  { name: 'app', beside: ['domain'], layer: 'application' },
  { name: 'ports', beside: ['app'], layer: 'adapter' },
  { name: 'service', beside: ['app', 'ports'], layer: 'infrastructure' },
  { name: 'biz', beside: ['data'], layer: 'domain' },
  { name: 'data', beside: ['biz'], layer: 'adapter' },
  { name: 'service', beside: ['biz', 'data'], layer: 'adapter' },
  { name: 'server', beside: ['biz', 'data'], layer: 'infrastructure' },
];

/** Segments that carry no meaning of their own. */
const NEUTRAL = new Set(['internal', 'pkg', 'src']);

/**
 * The layer a package outside the golden-path folders belongs to, from the
 * first folder of its path with a layer's name (`domain/order` → domain,
 * `internal/order/usecase` → application); `package main` anywhere is an
 * entry point. The sub-layer is the bounded context or folder next to it.
 */
export function recogniseGoPackage(
  dir: string,
  packageName: string,
  /** The service's folders (when given, see {@link namesLayer}). */
  folders?: ServiceFolders,
): { layer: GoLayer; sublayer?: string } | undefined {
  const parts = dir.split('/').filter(Boolean);
  if (packageName === 'main')
    return { layer: 'cmd', sublayer: dir || undefined };
  for (let i = 0; i < parts.length; i++) {
    const layer = layerNamed(parts.slice(0, i), parts[i], folders);
    if (!layer) continue;
    const before = parts.slice(0, i).filter(p => !NEUTRAL.has(p));
    const sublayer =
      parts[i + 1] ??
      (parts[i] !== layer ? parts[i] : before[before.length - 1]);
    return { layer, sublayer };
  }
  return undefined;
}

/**
 * The layer the folder `name` in `parent` names: a name of one meaning where
 * {@link namesLayer} says so, a name of a known layout's beside the folders
 * of that layout (only when the service's folders are known).
 */
function layerNamed(
  parent: string[],
  name: string,
  folders?: ServiceFolders,
): Exclude<GoLayer, 'cmd' | 'other'> | undefined {
  // an own key only: a folder named `constructor` names no layer
  const layer = Object.hasOwn(LAYER_NAMES, name)
    ? LAYER_NAMES[name]
    : undefined;
  if (layer)
    return !folders || namesLayer(parent, name, folders) ? layer : undefined;
  if (!folders) return undefined;
  const at = parent.join('/');
  return LAYOUT_NAMES.find(
    l =>
      l.name === name &&
      l.beside.every(b => folders.all.has(at ? `${at}/${b}` : b)),
  )?.layer;
}

/**
 * Whether a folder with a layer's name is that layer: at the service's top
 * (below neutral folders only), or beside another layer's folder (a bounded
 * context with layers of its own, `internal/order/{domain,usecase}`). Deeper
 * and alone (ardanlabs/service's app/domain, business/domain) the name
 * groups bounded contexts inside some other structure.
 */
function namesLayer(
  parent: string[],
  name: string,
  { all, tops }: ServiceFolders,
): boolean {
  const at = parent.join('/');
  // below the innermost top holding the folder, only neutral folders
  const top = tops
    .filter(t => t === '' || at === t || at.startsWith(`${t}/`))
    .sort((a, b) => b.length - a.length)[0];
  const below = parent.slice(top ? top.split('/').length : 0);
  if (top !== undefined && below.every(p => NEUTRAL.has(p))) return true;
  return Object.keys(LAYER_NAMES).some(
    other =>
      LAYER_NAMES[other] !== LAYER_NAMES[name] &&
      all.has(at ? `${at}/${other}` : other),
  );
}

/** What {@link recogniseGoPackage} knows of the service's folders. */
export interface ServiceFolders {
  /** Every folder holding a package, parents included. */
  all: ReadonlySet<string>;
  /** The tops of the service's modules ('' for the service directory). */
  tops: string[];
}

/** The {@link ServiceFolders} of these package directories and module tops. */
export function serviceFolders(
  dirs: Iterable<string>,
  tops: string[],
): ServiceFolders {
  const all = new Set<string>();
  for (const dir of dirs) {
    const parts = dir.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++)
      all.add(parts.slice(0, i).join('/'));
  }
  return { all, tops };
}

/** Whether the service claims the golden-path layout: two of its layer folders, or more. */
export function followsGoldenPathLayout(packages: GoPackageInsight[]): boolean {
  const present = GOLDEN_PATH_LAYER_DIRS.filter(d =>
    packages.some(p => p.dir === d || p.dir.startsWith(`${d}/`)),
  );
  return present.length >= 2;
}

const LAYER_LABELS: Record<GoLayer, string> = {
  domain: 'domain',
  application: 'application',
  adapter: 'adapters',
  infrastructure: 'infrastructure',
  cmd: 'entry point',
  other: 'other',
};

/**
 * What was recognised in a service of another layout, one phrase per layer,
 * e.g. `domain: domain/order, domain/payment`, `entry point: package main at
 * the service root`.
 */
export function describeRecognisedLayout(
  packages: GoPackageInsight[],
): string[] {
  const out: string[] = [];
  for (const layer of [
    'domain',
    'application',
    'adapter',
    'infrastructure',
    'cmd',
  ] as GoLayer[]) {
    const inLayer = packages.filter(p => p.layer === layer);
    // a folder stands for the packages below it
    const dirs = inLayer
      .filter(
        p =>
          !inLayer.some(
            q =>
              q.dir !== '' && q.dir !== p.dir && p.dir.startsWith(`${q.dir}/`),
          ),
      )
      .sort((a, b) => compareStrings(a.dir, b.dir))
      .map(p => {
        if (p.dir === '') return 'package main at the service root';
        if (layer === 'cmd' && !p.dir.startsWith('cmd'))
          return `package main in ${p.dir}`;
        return p.dir;
      });
    if (dirs.length === 0) continue;
    const shown = dirs.slice(0, 4).join(', ');
    out.push(
      `${LAYER_LABELS[layer]}: ${shown}${
        dirs.length > 4 ? ` and ${dirs.length - 4} more` : ''
      }`,
    );
  }
  return out;
}
