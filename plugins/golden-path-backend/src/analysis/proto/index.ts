export {
  checkProtoConventions,
  expectedProtoNames,
  RPC_VERBS,
  toUpperSnake,
} from './conventions';
export type { ProtoConventionOptions } from './conventions';
export { analyzeProtos } from './analyzeProtos';
export { resolveProtoImport, resolveProtoTypes } from './resolve';
export type { ProtoResolution } from './resolve';
export { ProtoParseCache } from './parseCache';
export {
  BUF_CONFIG_NAMES,
  CONVENTIONAL_PROTO_ROOTS,
  findProtoRoots,
} from './protoRoots';
export type { ProtoRoots } from './protoRoots';
