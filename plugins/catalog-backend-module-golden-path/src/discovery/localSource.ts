import {
  ConfinedRoot,
  confinedRoot,
  readFileNoFollow,
} from '@golden-path/plugin-golden-path-node';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_INFO_FILE, RECORDED_VALUES_FILE } from './serviceEntities';
import { DiscoveredService, ServiceSource } from './types';

/** A service directory: `services/<name>-service`. */
const SERVICE_DIR = /^[a-z0-9][a-z0-9._-]*-service$/;
/** A monorepo directory under a root (what local publish creates: plain names). */
const MONOREPO_DIR = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const yieldToEventLoop = () => new Promise<void>(r => setImmediate(r));

/**
 * The monorepos of one directory on this machine, as local publish creates
 * them: every directory right under the root with a `services/` directory
 * (and the root itself when it has one). Every path goes through the
 * bundle's confinement primitive: a symlink is followed only when its whole
 * chain stays under the root, files are read without following a symlink at
 * the last component, and no file larger than `maxFileBytes` is read.
 */
export class LocalMonorepoSource implements ServiceSource {
  constructor(
    private readonly dir: string,
    private readonly options: { maxFileBytes: number },
  ) {}

  describe(): string {
    return `dir:${this.dir}`;
  }

  async readServices(
    warn: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<DiscoveredService[]> {
    // A root that does not exist yet (nothing published) holds nothing.
    if (!fs.existsSync(this.dir)) return [];
    const root = confinedRoot(this.dir, {
      name: `the discovery root ${this.dir}`,
    });
    const monorepos = [
      '',
      ...fs
        .readdirSync(root.root)
        .filter(n => MONOREPO_DIR.test(n))
        .sort(),
    ];
    const services: DiscoveredService[] = [];
    for (const monorepo of monorepos) {
      const servicesDir = this.entry(
        root,
        posixJoin(monorepo, 'services'),
        warn,
      );
      if (!servicesDir?.stats?.isDirectory()) continue;
      let names: string[];
      try {
        names = fs.readdirSync(servicesDir.realPath);
      } catch (e) {
        warn(
          `${servicesDir.path}: could not be listed (${(e as Error).message})`,
        );
        continue;
      }
      for (const name of names.filter(n => SERVICE_DIR.test(n)).sort()) {
        // The reads are synchronous: let the event loop breathe between services.
        await yieldToEventLoop();
        if (signal?.aborted) return services;
        const serviceDir = posixJoin(monorepo, 'services', name);
        const dir = this.entry(root, serviceDir, warn);
        if (!dir?.stats?.isDirectory()) continue;
        services.push(this.service(root, monorepo, name, warn));
      }
    }
    return services;
  }

  /** The confined entry of `rel`, or undefined with one warning when it is refused. */
  private entry(root: ConfinedRoot, rel: string, warn: (l: string) => void) {
    try {
      return root.entry(rel, { label: 'path' });
    } catch (e) {
      warn(`${path.join(root.root, rel)}: ${(e as Error).message}; skipped`);
      return undefined;
    }
  }

  private service(
    root: ConfinedRoot,
    monorepo: string,
    name: string,
    warn: (line: string) => void,
  ): DiscoveredService {
    const monorepoDir = path.join(root.root, monorepo);
    const serviceRel = posixJoin(monorepo, 'services', name);
    const fileName = (rel: string) =>
      path.join(root.root, ...posixJoin(serviceRel, rel).split('/'));
    const readFile = (rel: string): Buffer | undefined => {
      try {
        return this.read(root, posixJoin(serviceRel, rel));
      } catch (e) {
        warn(`${fileName(rel)}: ${(e as Error).message}; skipped`);
        return undefined;
      }
    };
    return {
      monorepo: monorepoDir,
      serviceDir: `services/${name}`,
      location: { type: 'file', target: fileName(CATALOG_INFO_FILE) },
      fileName,
      catalogInfo: readFile(CATALOG_INFO_FILE),
      values: readFile(RECORDED_VALUES_FILE),
      readRelative: async (rel: string) => {
        // Relative to the service directory, and inside its own monorepo.
        const target = path.posix.normalize(posixJoin(serviceRel, rel));
        const inside = monorepo
          ? target.startsWith(`${monorepo}/`)
          : !target.startsWith('../') && target !== '..';
        if (path.posix.isAbsolute(rel) || !inside) {
          throw new Error(
            `"${rel}" points outside the monorepo ${monorepoDir}`,
          );
        }
        return this.read(root, target);
      },
    };
  }

  /** A regular file under the root, at most maxFileBytes; undefined when it does not exist. */
  private read(root: ConfinedRoot, rel: string): Buffer | undefined {
    const label = 'file';
    const entry = root.entry(rel, { label });
    if (!entry.stats) return undefined;
    if (!entry.stats.isFile()) throw new Error('is not a regular file');
    const max = this.options.maxFileBytes;
    const tooLarge = (size: number) =>
      new Error(
        `is ${size} bytes, more than the ${max} bytes a discovered file may have (goldenPath.discovery.maxFileBytes)`,
      );
    if (entry.stats.size > max) throw tooLarge(entry.stats.size);
    const { content } = readFileNoFollow(entry.realPath, label);
    if (content.length > max) throw tooLarge(content.length);
    return content;
  }
}

function posixJoin(...parts: string[]): string {
  return parts.filter(Boolean).join('/');
}
