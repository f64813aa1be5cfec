/**
 * What a source of monorepos hands the provider: one entry per
 * `services/*-service` directory, with the raw bytes of the two files that
 * describe a service. The local source reads a directory on this machine;
 * a URL source (a git forge's monorepo read with the UrlReader's `readTree`)
 * implements the same interface, leaving `readRelative` out so that the
 * catalog resolves `$text` placeholders itself against the `url` location.
 */

/** Where a service's catalog-info.yaml is, or would be: the entities' location and the catalog's location key. */
export interface ServiceLocation {
  type: 'file' | 'url';
  /** Absolute path (`file`) or URL (`url`) of `<serviceDir>/catalog-info.yaml`. */
  target: string;
}

/** One `services/<name>-service` directory of a monorepo. */
export interface DiscoveredService {
  /** The monorepo, as messages name it (its directory or URL). */
  monorepo: string;
  /** The service directory relative to the monorepo root, POSIX, e.g. `services/order-service`. */
  serviceDir: string;
  /** Where its catalog-info.yaml is (also when it has none). */
  location: ServiceLocation;
  /** How messages name a file of the service, e.g. the absolute path of `catalog-info.yaml`. */
  fileName(relPath: string): string;
  /** The bytes of `<serviceDir>/catalog-info.yaml`, when there is one that could be read. */
  catalogInfo?: Buffer;
  /** The bytes of `<serviceDir>/.golden-path/values.json`, when there is one that could be read. */
  values?: Buffer;
  /**
   * Reads a file given relative to the service directory (a `$text`
   * placeholder, `../../api/proto/...`), confined to the monorepo; undefined
   * when it does not exist; throws an Error whose message names the file when
   * it is refused. Absent for sources whose locations the catalog reads
   * itself (`url`): placeholders are then left for the catalog.
   */
  readRelative?(relPath: string): Promise<Buffer | undefined>;
}

/** A place monorepos are found in. */
export interface ServiceSource {
  /** How messages name the source, e.g. `dir:/srv/golden-path/local-repos`. */
  describe(): string;
  /**
   * Every service directory of every monorepo of the source. A file that
   * cannot be read (a symlink leading out, too large, not a regular file) is
   * reported through `warn` with its name and left out. Throws when the
   * source as a whole cannot be read: the provider then keeps what the
   * catalog has rather than removing every service of the source. When
   * `signal` aborts it may stop early; the provider then applies nothing.
   */
  readServices(
    warn: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<DiscoveredService[]>;
}
