import { GiteaIntegrationConfig } from '@backstage/integration';

/** Gitea's REST API (/api/v1) for one integration, with its credentials. */
export interface GiteaApi {
  /**
   * Calls `method path` (below /api/v1); resolves with the status and the
   * parsed body, or Gitea's own message when it refused.
   */
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ ok: boolean; status: number; body: any; message: string }>;
}

const TIMEOUT_MS = 30_000;
/** Gitea's answers are small JSON documents; a larger one is refused, not buffered. */
export const MAX_GITEA_RESPONSE_BYTES = 4 * 1024 * 1024;

/** The response's text, read up to `max` bytes; undefined (the stream cancelled) beyond. */
async function boundedText(
  res: Response,
  max: number,
): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The line Gitea explains a refusal with: its JSON `message`, else the body,
 * else the status. A message carrying git's output (a push Gitea's own hooks
 * declined) gives the hook's `remote: error:` line.
 */
export function giteaMessage(status: number, text: string): string {
  let message = text.trim();
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Not JSON: the text as it came.
  }
  const lines = message.split('\n');
  const hook = lines
    .map(l => /^remote: error:\s*(.*\S)/.exec(l)?.[1])
    .find(Boolean);
  message = (hook ?? lines.find(l => l.trim()) ?? '').trim().slice(0, 300);
  return message ? `${status} ${message}` : `HTTP ${status}`;
}

export function giteaApi(
  config: GiteaIntegrationConfig,
  signal?: AbortSignal,
): GiteaApi {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  if (config.password) {
    headers.Authorization = config.username
      ? `Basic ${Buffer.from(`${config.username}:${config.password}`).toString(
          'base64',
        )}`
      : `token ${config.password}`;
  }
  return {
    async call(method, path, body) {
      const url = `${config.baseUrl}/api/v1${path}`;
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal
            ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)])
            : AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code;
        throw new Error(
          `Gitea at ${config.baseUrl} did not answer ${method} ${path} (${
            cause ?? (e as Error).message
          }); check integrations.gitea baseUrl and that the forge is up`,
        );
      }
      const text = await boundedText(res, MAX_GITEA_RESPONSE_BYTES);
      if (text === undefined)
        throw new Error(
          `Gitea at ${
            config.baseUrl
          } answered ${method} ${path} with more than ${
            MAX_GITEA_RESPONSE_BYTES / 1048576
          } MiB; refusing to read it: check integrations.gitea baseUrl`,
        );
      let parsed: any = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return {
        ok: res.ok,
        status: res.status,
        body: parsed,
        message: res.ok ? '' : giteaMessage(res.status, text),
      };
    },
  };
}
