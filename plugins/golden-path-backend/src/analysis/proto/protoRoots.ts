import { load } from 'js-yaml';

/*
 * Where a repository keeps its protos, as buf finds them: the module roots
 * of the buf configs at or above the service (a buf.work.yaml's directories,
 * a v2 buf.yaml's modules, the directory of a v1 buf.yaml, a v1beta1
 * buf.yaml's build.roots). A repository without buf configs keeps them, by
 * habit, in proto/ or protos/ at its root, or in api/protobuf/ (protoc
 * --proto_path=api/protobuf, as ThreeDotsLabs' wild-workouts does).
 */

/** The buf config files read, by name. */
export const BUF_CONFIG_NAMES = ['buf.work.yaml', 'buf.yaml'];

/** Proto roots of a repository without buf configs. */
export const CONVENTIONAL_PROTO_ROOTS = ['api/protobuf', 'proto', 'protos'];

/** The proto roots found, and the config that named them (absent: the conventional roots). */
export interface ProtoRoots {
  /** Directories relative to the source root ('' for the root). */
  roots: string[];
  /** The buf configs read, relative to the source root. */
  configs: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `dir` joined with a relative path; undefined for one leaving the root. */
function join(dir: string, rel: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

/** The module roots one buf config names, relative to its directory. */
function rootsOf(name: string, doc: unknown): string[] {
  if (!isRecord(doc)) return [];
  if (name === 'buf.work.yaml') return strings(doc.directories);
  if (String(doc.version) === 'v2') {
    const modules = Array.isArray(doc.modules) ? doc.modules : [];
    const paths = modules.flatMap(m =>
      isRecord(m) && typeof m.path === 'string' ? [m.path] : [],
    );
    return modules.length ? paths : ['.'];
  }
  if (isRecord(doc.build) && Array.isArray(doc.build.roots))
    return strings(doc.build.roots); // v1beta1
  return ['.'];
}

/**
 * The proto roots of a service: the module roots of the buf configs in its
 * directory and the directories above it (`read` gives a file's text by
 * path from the source root), or the conventional ones when there is none.
 */
export function findProtoRoots(
  read: (path: string) => string | undefined,
  serviceDir: string,
): ProtoRoots {
  const roots = new Set<string>();
  const configs: string[] = [];
  const parts = serviceDir ? serviceDir.split('/') : [];
  for (let i = parts.length; i >= 0; i--) {
    const dir = parts.slice(0, i).join('/');
    for (const name of BUF_CONFIG_NAMES) {
      const path = dir ? `${dir}/${name}` : name;
      const text = read(path);
      if (text === undefined) continue;
      let doc: unknown;
      try {
        doc = load(text);
      } catch {
        continue; // buf itself reports a broken config
      }
      configs.push(path);
      for (const r of rootsOf(name, doc)) {
        const root = join(dir, r);
        if (root !== undefined) roots.add(root);
      }
    }
  }
  if (configs.length === 0) CONVENTIONAL_PROTO_ROOTS.forEach(r => roots.add(r));
  return { roots: [...roots].sort(), configs };
}
