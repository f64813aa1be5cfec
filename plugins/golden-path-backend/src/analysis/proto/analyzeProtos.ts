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
  const paths = [...tree.files.keys()]
    .filter(
      p =>
        p.endsWith('.proto') &&
        (p.startsWith(prefix) || protoDirs.some(d => p.startsWith(d))),
    )
    .sort();
  const servicePaths = new Set(paths);
  const parsed = new Map<string, ProtoFile>();
  for (const [path, content] of tree.files) {
    if (!path.endsWith('.proto') || servicePaths.has(path)) continue;
    try {
      parsed.set(path, parse(content));
    } catch (e) {
      if (!(e instanceof ProtoSyntaxError)) throw e; // not the service's file: its types stay unknown
    }
  }
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
      const file = parse(content);
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
      insight.problems = isVendoredProto(path, file.package)
        ? []
        : checkProtoConventions(file, {
            path,
            expectedPackage: isServiceApi ? expected?.package : undefined,
            expectedService: isServiceApi ? expected?.service : undefined,
          });
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
      message: `no .proto files found in ${
        serviceDir || 'the source root'
      } or ${protoDirs.join(' or ') || 'api/proto/<service>/'}${
        apiExpected
          ? ''
          : ' (the service does not follow the golden-path layout, which would give it one)'
      }`,
    });
  }
  for (const [imp, users] of [...resolution.unresolvedImports].sort()) {
    problems.push({
      severity: 'info',
      code: 'proto-import-not-analysed',
      message: `import "${imp}" (in ${users.join(
        ', ',
      )}) is not in the source tree (a buf dependency or another repository): not analysed, so the types it may declare are not checked`,
      path: users[0],
    });
  }
  return { files, problems };
}
