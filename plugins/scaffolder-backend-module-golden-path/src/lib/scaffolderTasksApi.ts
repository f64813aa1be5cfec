import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/** What fetch's network error says: undici's own message is only "fetch failed". */
export function fetchFailure(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)
    ?.cause;
  let detail: string | undefined;
  if (typeof cause?.code === 'string') detail = cause.code;
  else if (typeof cause?.message === 'string') detail = cause.message;
  // isError, not instanceof: fetch's errors may come from another realm
  const message = isError(e) ? e.message : String(e);
  return detail ? `${message} (${detail})` : message;
}

/** Tries of a read before its network error fails the caller. */
const READ_TRIES = 5;

/**
 * The scaffolder's task API, as a batch action calls it on behalf of its
 * initiator. Reads (GET) are tried again on a network error, a second
 * later each time: a batch polls its child tasks for minutes, and one
 * dropped connection (a keep-alive socket the server closed as it was
 * reused, a backend starved of CPU) must not report a task that still
 * runs as failed. A POST is sent once: sent again, it could start a
 * second task.
 */
export function scaffolderTasksApi(options: {
  baseUrl: string;
  token: string;
  signal?: AbortSignal;
  logger: LoggerService;
  /** Pause before try n+1 (ms); 1 s × n unless a test says otherwise. */
  retryDelayMs?: (n: number) => number;
}) {
  const { baseUrl, token, signal, logger } = options;
  const delay = options.retryDelayMs ?? (n => n * 1000);
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  const call = async (path: string, init: RequestInit = {}) => {
    const tries = (init.method ?? 'GET') === 'GET' ? READ_TRIES : 1;
    for (let n = 1; ; n++) {
      let res: Response;
      try {
        res = await fetch(`${baseUrl}${path}`, { ...init, headers, signal });
      } catch (e) {
        const why = `scaffolder ${init.method ?? 'GET'} ${path}: ${fetchFailure(
          e,
        )}`;
        if (n >= tries || signal?.aborted) throw new Error(why);
        logger.warn(`${why}; trying again (${n + 1} of ${tries})`);
        await new Promise(r => setTimeout(r, delay(n)));
        continue;
      }
      if (!res.ok)
        throw new Error(
          `scaffolder ${path}: ${res.status} ${(await res.text()).slice(
            0,
            300,
          )}`,
        );
      return res.json();
    }
  };
  return {
    get: (path: string) => call(path),
    post: (path: string, body: unknown) =>
      call(path, { method: 'POST', body: JSON.stringify(body) }),
  };
}
