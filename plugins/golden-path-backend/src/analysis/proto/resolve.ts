import type {
  InsightProblem,
  ProtoField,
  ProtoFile,
} from '@golden-path/plugin-golden-path-common';
import { PROTO_SCALAR_TYPES } from '@golden-path/plugin-golden-path-common';
import { visitMessages } from './visitMessages';

/*
 * Type resolution across the files of a proto tree, by protoc's rules (which
 * buf follows): a file sees the types of itself, of the files it imports and
 * of what those re-export with `import public`; a relative name is looked up
 * from the innermost scope outwards, and once its first component is found
 * the rest must resolve from there (no further search); `.a.b.C` is looked up
 * as written.
 */

/**
 * The well-known types protoc and buf ship (`google/protobuf/*.proto`), by
 * file: every message and enum each declares, nested ones included
 * (descriptor.proto: its messages that are extended or used, see below).
 * Files of that directory not listed here (compiler/plugin.proto, the
 * feature files) resolve too; names under google.protobuf are then not
 * judged.
 */
const WELL_KNOWN: Record<string, string[]> = {
  'google/protobuf/any.proto': ['Any'],
  'google/protobuf/api.proto': ['Api', 'Method', 'Mixin'],
  'google/protobuf/duration.proto': ['Duration'],
  'google/protobuf/empty.proto': ['Empty'],
  'google/protobuf/field_mask.proto': ['FieldMask'],
  'google/protobuf/source_context.proto': ['SourceContext'],
  'google/protobuf/struct.proto': ['Struct', 'Value', 'ListValue', 'NullValue'],
  'google/protobuf/timestamp.proto': ['Timestamp'],
  'google/protobuf/type.proto': [
    'Type',
    'Field',
    'Field.Kind',
    'Field.Cardinality',
    'Enum',
    'EnumValue',
    'Option',
    'Syntax',
  ],
  'google/protobuf/wrappers.proto': [
    'DoubleValue',
    'FloatValue',
    'Int64Value',
    'UInt64Value',
    'Int32Value',
    'UInt32Value',
    'BoolValue',
    'StringValue',
    'BytesValue',
  ],
  // its messages that custom options extend or fields use; the rest of the file is not listed
  'google/protobuf/descriptor.proto': [
    'FileDescriptorSet',
    'FileDescriptorProto',
    'DescriptorProto',
    'DescriptorProto.ExtensionRange',
    'DescriptorProto.ReservedRange',
    'ExtensionRangeOptions',
    'FieldDescriptorProto',
    'OneofDescriptorProto',
    'EnumDescriptorProto',
    'EnumValueDescriptorProto',
    'ServiceDescriptorProto',
    'MethodDescriptorProto',
    'FileOptions',
    'MessageOptions',
    'FieldOptions',
    'OneofOptions',
    'EnumOptions',
    'EnumValueOptions',
    'ServiceOptions',
    'MethodOptions',
    'UninterpretedOption',
    'FeatureSet',
    'SourceCodeInfo',
    'GeneratedCodeInfo',
  ],
};

const ENUMS = new Set([
  'NullValue',
  'Field.Kind',
  'Field.Cardinality',
  'Syntax',
]);

type SymbolKind = 'message' | 'enum' | 'service' | 'package';

interface SymbolEntry {
  kind: SymbolKind;
  /** Files declaring it (one for types; every file of the package for packages). */
  files: Set<string>;
}

/** What resolution found wrong, and what it could not judge. */
export interface ProtoResolution {
  /** Findings by file path (only files asked for). */
  problems: Map<string, InsightProblem[]>;
  /** Imports found neither in the tree nor among the well-known types: import path → files importing it. */
  unresolvedImports: Map<string, string[]>;
  /** Resolved imports: file path → import path → the file it resolved to. */
  imports: Map<string, Map<string, string>>;
}

function join(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

/** The name a file is imported by: its path below the root its package implies. */
function importName(path: string, pkg: string | undefined): string {
  const pkgDir = pkg?.replace(/\./g, '/');
  const dir = dirOf(path);
  if (pkgDir && dir.endsWith(`/${pkgDir}`))
    return path.slice(dir.length - pkgDir.length);
  return path;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/**
 * Where an import path points, as `buf build` would find it with the module
 * roots of this tree: well-known files first, then below the root the
 * importing file's package implies (`a/b/order/v1/x.proto` with package
 * `order.v1` → `a/b`), then below each directory above the importing file,
 * then below any other directory where exactly one file matches.
 */
export function resolveProtoImport(
  importPath: string,
  fromPath: string,
  fromPackage: string | undefined,
  exists: (path: string) => boolean,
  /** The one file of the tree whose path ends with `/<importPath>`, if exactly one does. */
  underOtherRoot?: (importPath: string) => string | undefined,
): string | undefined {
  if (importPath.startsWith('google/protobuf/')) return importPath;
  const roots: string[] = [];
  const dir = dirOf(fromPath);
  if (fromPackage) {
    const pkgDir = fromPackage.replace(/\./g, '/');
    if (dir === pkgDir) roots.push('');
    else if (dir.endsWith(`/${pkgDir}`))
      roots.push(dir.slice(0, -pkgDir.length - 1));
  }
  for (let d = dir; ; d = dirOf(d)) {
    roots.push(d);
    if (!d) break;
  }
  for (const root of roots) {
    const candidate = root ? `${root}/${importPath}` : importPath;
    if (exists(candidate)) return candidate;
  }
  // another module root of the workspace (a buf.yaml v2 module, a buf.work.yaml
  // directory, an include root such as third_party/): where exactly one file
  // has the import path below some directory, buf finds that one
  return underOtherRoot?.(importPath);
}

/**
 * Looks up an import path below any directory of `paths`: the file when
 * exactly one path ends with `/<importPath>`, else undefined.
 */
function uniqueBySuffix(paths: Iterable<string>) {
  const bySuffix = new Map<string, string | null>();
  for (const p of paths) {
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
      const suffix = p.slice(i + 1);
      bySuffix.set(suffix, bySuffix.has(suffix) ? null : p);
    }
  }
  return (importPath: string) => bySuffix.get(importPath) ?? undefined;
}

/**
 * Resolves every type reference (field types, map values, RPC request and
 * response types, extended messages) of the files in `report`, against all
 * `files` of the tree and the well-known types. Only references that do not
 * resolve are findings; a file importing something that is not in the tree
 * gets no finding for names that import could declare (see
 * `unresolvedImports`).
 */
export function resolveProtoTypes(
  files: Map<string, ProtoFile>,
  report: Iterable<string>,
): ProtoResolution {
  const symbols = new Map<string, SymbolEntry>();
  const add = (name: string, kind: SymbolKind, file: string) => {
    const entry = symbols.get(name);
    if (!entry) symbols.set(name, { kind, files: new Set([file]) });
    else if (entry.kind === 'package' && kind !== 'package')
      symbols.set(name, { kind, files: new Set([file]) });
    else if (entry.kind === kind) entry.files.add(file);
  };
  const addPackage = (pkg: string | undefined, file: string) => {
    if (!pkg) return;
    const parts = pkg.split('.');
    for (let i = 1; i <= parts.length; i++)
      add(parts.slice(0, i).join('.'), 'package', file);
  };
  const packages = new Map<string, string | undefined>();
  for (const [path, types] of Object.entries(WELL_KNOWN)) {
    addPackage('google.protobuf', path);
    packages.set(path, 'google.protobuf');
    for (const t of types)
      add(`google.protobuf.${t}`, ENUMS.has(t) ? 'enum' : 'message', path);
  }
  for (const [path, file] of files) {
    packages.set(path, file.package);
    addPackage(file.package, path);
    for (const e of file.enums) add(e.fullName, 'enum', path);
    for (const s of file.services)
      add(join(file.package ?? '', s.name), 'service', path);
    visitMessages(file.messages, m => {
      add(m.fullName, 'message', path);
      for (const e of m.enums) add(e.fullName, 'enum', path);
    });
  }

  // imports of every file, resolved to paths of the tree or well-known files
  const importsOf = new Map<string, Map<string, string>>();
  const unresolvedImports = new Map<string, string[]>();
  const publicOf = (path: string): string[] => {
    const file = files.get(path);
    if (!file) return [];
    const resolved = importsOf.get(path)!;
    return file.imports
      .filter(i => i.modifier === 'public' && resolved.has(i.path))
      .map(i => resolved.get(i.path)!);
  };
  const underOtherRoot = uniqueBySuffix(files.keys());
  for (const [path, file] of files) {
    const resolved = new Map<string, string>();
    for (const imp of file.imports) {
      const target = resolveProtoImport(
        imp.path,
        path,
        file.package,
        p => files.has(p),
        underOtherRoot,
      );
      if (target) resolved.set(imp.path, target);
    }
    importsOf.set(path, resolved);
  }

  const problems = new Map<string, InsightProblem[]>();
  for (const path of report) {
    const file = files.get(path);
    if (!file) continue;
    const out: InsightProblem[] = [];
    problems.set(path, out);
    // the files whose declarations this file sees, and whether one is unknown
    const visible = new Set<string>([path]);
    let incomplete = false;
    // descriptor.proto & co: their types are listed only in part (they grow
    // with each protobuf release), so names under google.protobuf are not judged
    let partialWellKnown = false;
    const resolved = importsOf.get(path)!;
    const queue: string[] = [];
    // imports not resolved: a file whose path ends with one of them may be
    // what buf reads for it, under a module root not known here
    const unresolved: string[] = [];
    for (const imp of file.imports) {
      const target = resolved.get(imp.path);
      if (!target) {
        incomplete = true;
        unresolved.push(imp.path);
        const users = unresolvedImports.get(imp.path) ?? [];
        users.push(path);
        unresolvedImports.set(imp.path, users);
        continue;
      }
      queue.push(target);
    }
    while (queue.length) {
      const dep = queue.shift()!;
      if (visible.has(dep)) continue;
      visible.add(dep);
      if (
        dep.startsWith('google/protobuf/') &&
        (!WELL_KNOWN[dep] || dep === 'google/protobuf/descriptor.proto')
      )
        partialWellKnown = true;
      const depFile = files.get(dep);
      if (
        depFile?.imports.some(
          i => i.modifier === 'public' && !importsOf.get(dep)!.has(i.path),
        )
      )
        incomplete = true;
      queue.push(...publicOf(dep));
    }
    const inVisiblePackage = (name: string) =>
      [...visible].some(f => {
        const pkg = packages.get(f);
        return !!pkg && (pkg === name || pkg.startsWith(`${name}.`));
      });

    /** protoc's DescriptorBuilder::FindSymbol: the symbol if this file may see it. */
    let notImported: string | undefined;
    const find = (name: string): SymbolEntry | undefined => {
      const entry = symbols.get(name);
      if (!entry) return undefined;
      if (entry.kind === 'package')
        return inVisiblePackage(name) ? entry : undefined;
      if ([...entry.files].some(f => visible.has(f))) return entry;
      notImported ??= [...entry.files][0];
      return undefined;
    };
    const isType = (e: SymbolEntry) =>
      e.kind === 'message' || e.kind === 'enum';

    /** protoc's LookupSymbolNoPlaceholder (types only), `relativeTo` the full name of the referring element. */
    const lookup = (
      name: string,
      relativeTo: string,
    ): {
      entry?: SymbolEntry;
      tried?: string;
      via?: string;
      viaKind?: SymbolKind;
    } => {
      if (name.startsWith('.')) return { entry: find(name.slice(1)) };
      const dot = name.indexOf('.');
      const first = dot < 0 ? name : name.slice(0, dot);
      let scope = relativeTo;
      for (;;) {
        const i = scope.lastIndexOf('.');
        if (i < 0) return { entry: find(name) };
        scope = scope.slice(0, i);
        const candidate = `${scope}.${first}`;
        const found = find(candidate);
        if (!found) continue;
        if (dot >= 0) {
          if (found.kind === 'service') continue;
          const full = `${scope}.${name}`;
          return {
            entry: find(full),
            tried: full,
            via: candidate,
            viaKind: found.kind,
          };
        }
        if (isType(found)) return { entry: found };
      }
    };

    const check = (
      typeName: string,
      relativeTo: string,
      what: string,
      at: { line: number; column: number },
      want: 'message' | 'type',
    ) => {
      if (PROTO_SCALAR_TYPES.has(typeName)) return;
      notImported = undefined;
      const { entry, tried, via, viaKind } = lookup(typeName, relativeTo);
      if (entry && isType(entry)) {
        if (want === 'message' && entry.kind !== 'message')
          out.push({
            severity: 'error',
            code: 'proto-unknown-type',
            message: `${what} "${typeName}", which is an enum; it must be a message`,
            path,
            line: at.line,
            column: at.column,
          });
        return;
      }
      if (incomplete && !notImported) return; // an import we cannot read may declare it
      if (
        notImported &&
        unresolved.some(
          imp => notImported === imp || notImported!.endsWith(`/${imp}`),
        )
      )
        return; // it is imported, under a root this tree does not tell
      if (
        partialWellKnown &&
        /^\.?(google\.)?protobuf\./.test(typeName) &&
        !notImported
      )
        return;
      let message: string;
      const foundAt =
        notImported && importName(notImported, packages.get(notImported));
      if (entry)
        message = `${what} "${typeName}", which names a ${entry.kind}, not a message or enum`;
      else if (foundAt)
        message = `${what} "${typeName}", which is declared in ${notImported}, which this file does not import; add import "${foundAt}"`;
      else if (tried && find(typeName))
        message = `${what} "${typeName}", which is looked up as "${tried}" (its first part names the enclosing ${viaKind} ${via}), which does not exist; write ".${typeName}" for the top-level name`;
      else
        message = `${what} "${typeName}", which is not declared in this file or in any file it imports`;
      out.push({
        severity: 'error',
        code: 'proto-unknown-type',
        message,
        path,
        line: at.line,
        column: at.column,
      });
    };

    const checkField = (f: ProtoField, scope: string, owner: string) =>
      check(
        f.map ? f.map.valueType : f.type,
        join(scope, f.name),
        `field "${owner}.${f.name}" has type`,
        f,
        'type',
      );
    const pkgScope = file.package ?? '';
    visitMessages(file.messages, m => {
      for (const f of m.fields) checkField(f, m.fullName, m.name);
    });
    for (const s of file.services) {
      const svc = join(pkgScope, s.name);
      for (const rpc of s.rpcs) {
        const at = `${svc}.${rpc.name}`;
        check(rpc.requestType, at, `rpc "${rpc.name}" takes`, rpc, 'message');
        check(
          rpc.responseType,
          at,
          `rpc "${rpc.name}" returns`,
          rpc,
          'message',
        );
      }
    }
    for (const ext of file.extends) {
      const at = join(pkgScope, ext.fields[0]?.name ?? 'extension');
      check(ext.extendee, at, 'extend of', ext, 'message');
      for (const f of ext.fields) checkField(f, pkgScope, `(${ext.extendee})`);
    }
  }
  return { problems, unresolvedImports, imports: importsOf };
}
