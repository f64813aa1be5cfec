// Preloaded into the backend by the insights load test and bench
// (NODE_OPTIONS=--require): measures, from inside the process, how long its
// event loop was blocked (perf_hooks.monitorEventLoopDelay; and, as the
// main thread's own CPU time between two ticks, how much of it was work) and its memory
// (RSS, V8 heap) and CPU time (user + system), and answers on the Unix socket <dir>/<pid>.sock, where
// <dir> is GOLDEN_PATH_LOOP_PROBE_DIR:
//   GET /figures  the figures since the last reset (JSON, milliseconds and bytes)
//   POST /reset   starts a new measurement
//   POST /gc      a full garbage collection, so the memory read next is what is live
// Every Node process started with the variable gets one (yarn, backstage-cli,
// the backend); the caller asks the one listening on the backend's port.
// Nothing is loaded without the variable.
'use strict';

const dir = process.env.GOLDEN_PATH_LOOP_PROBE_DIR;
if (dir) {
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  const http = require('node:http');
  const path = require('node:path');
  const v8 = require('node:v8');
  const vm = require('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');

  // The timer fires every RESOLUTION_MS; a delay is the interval it saw, so
  // the event loop was blocked for (delay - RESOLUTION_MS).
  const RESOLUTION_MS = 5;
  let histogram;
  let peak;
  let cpuSince;
  // Busy: the main thread's own CPU time between two ticks of the same
  // period. A late tick is work holding the loop only when the thread ran
  // meanwhile; on a busy machine it may have been waiting for a core
  // (the delay above counts both). Node 23.9+ (process.threadCpuUsage).
  const threadCpu = process.threadCpuUsage
    ? () => {
        const { user, system } = process.threadCpuUsage();
        return (user + system) / 1000;
      }
    : undefined;
  let busyMax;
  let lastTickCpu;
  const reset = () => {
    busyMax = 0;
    lastTickCpu = threadCpu?.();
    cpuSince = process.cpuUsage();
    if (histogram) histogram.disable();
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    const m = process.memoryUsage();
    peak = { rss: m.rss, heapUsed: m.heapUsed };
  };
  reset();
  if (threadCpu)
    setInterval(() => {
      const now = threadCpu();
      busyMax = Math.max(busyMax, now - lastTickCpu);
      lastTickCpu = now;
    }, RESOLUTION_MS).unref();
  setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  }, 50).unref();

  const ms = ns => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const figures = () => {
    const m = process.memoryUsage();
    return {
      pid: process.pid,
      eventLoop: {
        samples: histogram.count,
        maxBlockMs: ms(histogram.max),
        p99BlockMs: ms(histogram.percentile(99)),
        meanBlockMs: ms(histogram.mean),
        maxBusyMs: threadCpu ? busyMax : null,
      },
      // CPU time the process used since the reset: unlike response times,
      // hardly changed by other work on the machine
      cpuMs: (() => {
        const { user, system } = process.cpuUsage(cpuSince);
        return (user + system) / 1000;
      })(),
      memory: {
        rss: m.rss,
        heapUsed: m.heapUsed,
        peakRss: Math.max(peak.rss, m.rss),
        peakHeapUsed: Math.max(peak.heapUsed, m.heapUsed),
      },
    };
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/reset') reset();
    else if (req.method === 'POST' && req.url === '/gc') gc();
    else if (!(req.method === 'GET' && req.url === '/figures')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(figures()));
  });
  const socket = path.join(dir, `${process.pid}.sock`);
  server.on('error', e => {
    process.stderr.write(`loop probe: ${socket}: ${e.message}\n`);
  });
  server.listen(socket);
  server.unref();
}
