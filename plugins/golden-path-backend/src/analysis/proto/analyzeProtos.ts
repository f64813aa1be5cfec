import {
  parseProto,
  ProtoSyntaxError,
  type ProtoFile,
  type ProtoFileInsight,
  type ProtoMessage,
  type ProtoMessageInsight,
  type ProtosInsight,
} from '@golden-path/plugin-golden-path-common';
import {
  normalizeServiceDir,
  serviceBaseName,
  serviceProtoDirs,
  SourceTree,
} from '../sourceTree';
import { checkProtoConventions, expectedProtoNames } from './conventions';
import { findProtoRoots } from './protoRoots';
import type { ProtoParseCache } from './parseCache';
import { resolveProtoTypes } from './resolve';

function collectNames(
  messages: ProtoMessage[],
  out: { messages: string[]; enums: string[]; details: ProtoMessageInsight[] },
) {
  for (const m of messages) {
    out.messages.push(m.fullName);
    out.details.push({
      fullName: m.fullName,
      line: m.line,
      fields: m.fields.map(f => ({
        name: f.name,
        type: f.type,
        number: f.number,
        ...(f.label ? { label: f.label } : {}),
        ...(f.map ? { map: f.map } : {}),
        ...(f.oneof ? { oneof: f.oneof } : {}),
        line: f.line,
      })),
    });
    out.enums.push(...m.enums.map(e => e.fullName));
    collectNames(m.messages, out);
  }
}

/** Folders that hold copies of other projects' protos (protoc include roots). */
const VENDORED_DIRS = new Set(['third_party', 'third-party', 'vendor']);

/** Whether a proto is a copy of another project's API: under a vendored folder, or Google's own package. */
function isVendoredProto(path: string, pkg: string | undefined): boolean {
  return (
    path.split('/').some(segment => VENDORED_DIRS.has(segment)) ||
    pkg === 'google' ||
    !!pkg?.startsWith('google.')
  );
}

/** One note for the golden path's conventions a service it did not make does not follow. */
function conventionsNote(
  unmet: ProtosInsight['problems'],
): ProtosInsight['problems'][number] {
  const byCode = new Map<string, number>();
  for (const p of unmet) byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
  const paths = [...new Set(unmet.map(p => p.path))];
  return {
    severity: 'info',
    code: 'proto-conventions-not-checked',
    message: `the golden-path templates did not make this service, so its protos are not held to the golden path's naming conventions; ${
      unmet.length
    } would not pass (${[...byCode]
      .map(([code, n]) => `${code} ×${n}`)
      .join(', ')}) in ${paths.length} file${
      paths.length > 1 ? 's' : ''
    }; buf lint checks the rules the service chose`,
    path: paths[0],
  };
}

/**
 * Parses every `.proto` file of a service (inside the service directory and
 * in the monorepo's proto directories of the service, see
 * `serviceProtoDirs`) and checks them against the
 * seed's conventions. Type references are resolved as buf resolves them,
 * against every `.proto` file of the tree (see `resolveProtoTypes`); imports
 * the tree does not hold are named once, as not analysed. Paths in the
 * result are relative to the source root.
 */
export function analyzeProtos(
  tree: SourceTree,
  options: {
    serviceDir: string;
    maxBytes?: number;
    /**
     * Whether the service is expected to have a proto API (default true). A
     * service of another layout (see `analyzeGoLayers`'s
     * `followsGoldenPath`) never claimed one: finding none is only a note.
     */
    apiExpected?: boolean;
    /**
     * Whether the golden-path templates made the service (default true). The
     * protos of one they did not make are not held to the golden path's
     * naming conventions: what they break is one note, not a finding each.
     */
    goldenPathMade?: boolean;
    /** Parses shared across analyses (the monorepo's protos are the same for each of its services). */
    parseCache?: ProtoParseCache;
  },
): ProtosInsight {
  const parse = (content: Buffer): ProtoFile =>
    options.parseCache
      ? options.parseCache.parse(content, { maxBytes: options.maxBytes })
      : parseProto(content.toString('utf8'), { maxBytes: options.maxBytes });
  const serviceDir = normalizeServiceDir(options.serviceDir);
  const prefix = serviceDir ? `${serviceDir}/` : '';
  const base = serviceBaseName(serviceDir);
  const expected = base ? expectedProtoNames(base) : undefined;
  const protoDirs = serviceDir ? serviceProtoDirs(serviceDir) : [];
  const files: ProtoFileInsight[] = [];
  const goldenPathMade = options.goldenPathMade ?? true;
  const unmetConventions: ProtoFileInsight['problems'] = [];
  // the proto roots of the repository (buf configs) outside the service directory
  const protoRoots = findProtoRoots(
    p => tree.files.get(p)?.toString('utf8'),
    serviceDir,
  );
  const roots = protoRoots.roots.filter(
    r => !(serviceDir && (r === serviceDir || r.startsWith(prefix))),
  );
  const rootDirs = roots.flatMap(r =>
    base
      ? [...new Set([base, base.replace(/[-_]/g, '')])].map(b =>
          r ? `${r}/${b}/` : `${b}/`,
        )
      : [],
  );
  const underRoot = (p: string) =>
    roots.some(r => r === '' || p.startsWith(`${r}/`));
  const servicePaths = new Set(
    [...tree.files.keys()].filter(
      p =>
        p.endsWith('.proto') &&
        (p.startsWith(prefix) ||
          protoDirs.some(d => p.startsWith(d)) ||
          rootDirs.some(d => p.startsWith(d))),
    ),
  );
  const parsed = new Map<string, ProtoFile>();
  for (const [path, content] of tree.files) {
    if (!path.endsWith('.proto') || servicePaths.has(path)) continue;
    try {
      const file = parsed.get(path) ?? parse(content);
      parsed.set(path, file);
      // a root's file that declares the service's API (one proto for every service, say)
      if (
        expected &&
        underRoot(path) &&
        file.services.some(
          s => s.name.toLowerCase() === expected.service.toLowerCase(),
        )
      )
        servicePaths.add(path);
    } catch (e) {
      if (!(e instanceof ProtoSyntaxError)) throw e; // not the service's file: its types stay unknown
    }
  }
  const paths = [...servicePaths].sort();
  for (const path of paths) {
    const content = tree.files.get(path)!;
    const insight: ProtoFileInsight = {
      path,
      imports: [],
      services: [],
      messages: [],
      enums: [],
      problems: [],
    };
    try {
      const file = parsed.get(path) ?? parse(content);
      parsed.set(path, file);
      insight.syntax =
        file.syntax ?? (file.edition ? `edition ${file.edition}` : undefined);
      insight.package = file.package;
      insight.imports = file.imports.map(i => i.path);
      insight.services = file.services.map(s => ({
        name: s.name,
        line: s.line,
        rpcs: s.rpcs.map(r => ({
          name: r.name,
          requestType: r.requestType,
          responseType: r.responseType,
          clientStreaming: r.clientStreaming,
          serverStreaming: r.serverStreaming,
          line: r.line,
        })),
      }));
      const names = {
        messages: [] as string[],
        enums: file.enums.map(e => e.fullName),
        details: [] as ProtoMessageInsight[],
      };
      collectNames(file.messages, names);
      insight.messages = names.messages;
      insight.messageDetails = names.details;
      insight.enums = names.enums;
      // vendored and shared protos (e.g. common/v1) are not held to the service's names
      const isServiceApi = file.services.length > 0;
      // copies of others' APIs (third_party/google/api/…) keep their own style
      const conventions = isVendoredProto(path, file.package)
        ? []
        : checkProtoConventions(file, {
            path,
            expectedPackage: isServiceApi ? expected?.package : undefined,
            expectedService: isServiceApi ? expected?.service : undefined,
          });
      if (goldenPathMade) insight.problems = conventions;
      else unmetConventions.push(...conventions);
    } catch (e) {
      if (!(e instanceof ProtoSyntaxError)) throw e;
      const message = e.message.replace(/^\d+:\d+: /, '');
      insight.parseError = { message, line: e.line, column: e.column };
      insight.problems.push({
        severity: 'error',
        code: 'proto-syntax-error',
        message,
        path,
        line: e.line,
        column: e.column,
      });
    }
    files.push(insight);
  }
  const resolution = resolveProtoTypes(parsed, paths);
  for (const insight of files) {
    insight.problems.push(...(resolution.problems.get(insight.path) ?? []));
  }
  const problems: ProtosInsight['problems'] = [];
  if (files.length === 0) {
    const apiExpected = options.apiExpected ?? true;
    problems.push({
      severity: apiExpected ? 'warning' : 'info',
      code: 'proto-none',
      message: `no .proto files found in ${serviceDir || 'the source root'}, ${
        protoDirs.join(', ') || 'api/proto/<service>/'
      }${
        roots.length
          ? ` or the proto roots ${roots.map(r => r || '.').join(', ')} (${
              protoRoots.configs.join(', ') ||
              'no buf config; the usual folders'
            })`
          : ''
      }${
        apiExpected
          ? ''
          : ' (the service does not follow the golden-path layout, which would give it one)'
      }`,
    });
  }
  if (unmetConventions.length > 0)
    problems.push(conventionsNote(unmetConventions));
  const protoPaths = [...tree.files.keys()].filter(p => p.endsWith('.proto'));
  for (const [imp, users] of [...resolution.unresolvedImports].sort()) {
    // a file of this repository that buf would not find from these roots is no dependency's
    const inRepo = protoPaths.filter(p => p === imp || p.endsWith(`/${imp}`));
    problems.push({
      severity: 'info',
      code: 'proto-import-not-analysed',
      message: `import "${imp}" (in ${users.join(', ')}) ${
        inRepo.length
          ? `matches ${inRepo.join(
              ', ',
            )} of this repository but no single file below a proto root; add its root to the buf config`
          : 'is not among the files read (a buf dependency, another repository, or a part of this one outside the service and its proto roots)'
      }: not analysed, so the types it may declare are not checked`,
      path: users[0],
    });
  }
  return { files, problems };
}
