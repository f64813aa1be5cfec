import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';

/** Status codes of the @backstage/errors types, as Backstage's own error handler maps them. */
const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** What a client may see of an error: never a stack, a cause, or a server path. */
export interface PublicError {
  statusCode: number;
  name: string;
  message: string;
}

/**
 * Whether the error's message names something of the server that a client
 * must not learn: file-system errors carry the path they failed on
 * (`ENOENT: no such file or directory, open '/srv/…'`), database errors carry
 * SQL and schema details, a failed request of Backstage's clients and
 * UrlReaders (node-fetch's FetchError) carries the internal URL it asked and
 * the address it could not reach (`request to http://catalog.internal:7007/…
 * failed, reason: connect ECONNREFUSED 10.0.0.9:7007`), and a thrown
 * non-Error is anything at all.
 */
function isInternal(e: unknown): boolean {
  if (!isError(e)) return true;
  const err = e as Error & {
    syscall?: unknown;
    path?: unknown;
    errno?: unknown;
  };
  if (
    typeof err.syscall === 'string' ||
    typeof err.path === 'string' ||
    // a number from Node.js, the system error's code from node-fetch
    typeof err.errno === 'number' ||
    typeof err.errno === 'string'
  )
    return true;
  return e.name === 'FetchError' || e.constructor?.name === 'DatabaseError';
}

/**
 * The answer a client gets for an error of the insights API. The typed
 * errors this plugin throws (InputError, NotFoundError, …) keep their
 * message, which names only what the request or the entity said; an
 * internal error (file system, database, anything untyped) is logged with a
 * log id and answered with that id alone.
 */
export function publicError(e: unknown, logger: LoggerService): PublicError {
  const name = isError(e) ? e.name : 'Error';
  const statusCode = STATUS_BY_NAME[name] ?? 500;
  if (statusCode >= 500 && isInternal(e)) {
    const logId = randomBytes(10).toString('hex');
    logger.error(
      `golden-path: internal error, logId=${logId}`,
      isError(e) ? e : new Error(String(e)),
    );
    return {
      statusCode: 500,
      name: 'Error',
      message: `An internal error occurred; the backend log has it under logId=${logId}`,
    };
  }
  return { statusCode, name, message: isError(e) ? e.message : String(e) };
}

/**
 * The plugin router's last middleware: every error answered in Backstage's
 * error body shape (`{ error, request, response }`), without a stack trace
 * in any NODE_ENV (Backstage's root handler adds one in development) and
 * without server paths.
 */
export function errorResponder(logger: LoggerService): ErrorRequestHandler {
  return (e, req, res, next) => {
    if (res.headersSent) {
      next(e);
      return;
    }
    const { statusCode, name, message } = publicError(e, logger);
    res.status(statusCode).json({
      error: { name, message },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode },
    });
  };
}
