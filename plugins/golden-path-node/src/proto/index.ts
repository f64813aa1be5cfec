// The parser lives in the common package (the frontend parses API entities'
// definitions in the browser); re-exported here for earlier callers.
export {
  DEFAULT_MAX_PROTO_BYTES,
  ProtoSyntaxError,
  tokenizeProto,
  parseProto,
} from '@golden-path/plugin-golden-path-common';
export type {
  ProtoToken,
  ProtoTokenKind,
  ProtoEnum,
  ProtoEnumValue,
  ProtoField,
  ProtoFile,
  ProtoMessage,
  ProtoOption,
  ProtoPosition,
  ProtoReserved,
  ProtoRpc,
  ProtoService,
} from '@golden-path/plugin-golden-path-common';
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
