// A loopback port for a server the suite starts later (Gitea, a generated
// service, a collector). A port from listen(0) lies in the kernel's ephemeral
// range: once it is closed, any process on the machine may get it (its own
// listen(0), or the local port of a connection) before our server binds it.
// freePort picks below that range, where the kernel hands out nothing itself;
// the generated services' tests do the same (tests/testport).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';

const LOWEST = 10000;
const MIN_PORTS = 1000;

/** The first port of the ephemeral range (Linux), else Linux's default. */
export function ephemeralStart(
  text = readOr('/proc/sys/net/ipv4/ip_local_port_range'),
) {
  const fields = text.trim().split(/\s+/);
  const start = Number(fields[0]);
  return fields.length === 2 &&
    Number.isInteger(start) &&
    start > 0 &&
    start < 65536
    ? start
    : 32768;
}

function readOr(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Resolves whether 127.0.0.1:`port` could be bound now. */
async function bindable(port) {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  try {
    // once() rejects on the server's 'error' (EADDRINUSE).
    await once(server, 'listening');
  } catch {
    return false;
  }
  server.close();
  await once(server, 'close');
  return true;
}

/** A port of 127.0.0.1 that nothing holds now and the kernel does not hand out by itself. */
export async function freePort() {
  let below = ephemeralStart();
  if (below - LOWEST < MIN_PORTS) below = 65536;
  for (let i = 0; i < 100; i++) {
    const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in [${LOWEST}, ${below}) after 100 tries`);
}
