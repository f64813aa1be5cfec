/** The streaming flags and message types of an RPC, as both proto views hold them. */
export interface RpcShape {
  requestType: string;
  responseType: string;
  clientStreaming: boolean;
  serverStreaming: boolean;
}

/** `(stream A) returns (B)` as written in the proto. */
export function rpcSignature(rpc: RpcShape): string {
  const req = `${rpc.clientStreaming ? 'stream ' : ''}${rpc.requestType}`;
  const res = `${rpc.serverStreaming ? 'stream ' : ''}${rpc.responseType}`;
  return `(${req}) returns (${res})`;
}

/** The streaming kind of an RPC, undefined for unary RPCs. */
export function streamingKind(rpc: RpcShape): string | undefined {
  if (rpc.clientStreaming && rpc.serverStreaming)
    return 'bidirectional streaming';
  if (rpc.clientStreaming) return 'client streaming';
  if (rpc.serverStreaming) return 'server streaming';
  return undefined;
}

/** The type of a field as written in the proto: `repeated Item`, `map<string, int64>`. */
export function writtenType(field: {
  type: string;
  label?: string;
  map?: { keyType: string; valueType: string };
}): string {
  if (field.map) return `map<${field.map.keyType}, ${field.map.valueType}>`;
  return field.label ? `${field.label} ${field.type}` : field.type;
}
