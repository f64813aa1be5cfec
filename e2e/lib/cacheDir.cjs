// The per-user cache the test run keeps outside the clone (as scripts/lib.sh's
// golden_path_cache): what it holds is keyed by version or content, so a
// second clone on the same machine starts warm.
const os = require('node:os');
const path = require('node:path');

/** $GOLDEN_PATH_CACHE_DIR, else $XDG_CACHE_HOME/golden-path, else ~/.cache/golden-path. */
function goldenPathCacheDir() {
  return (
    process.env.GOLDEN_PATH_CACHE_DIR ||
    path.join(
      process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
      'golden-path',
    )
  );
}

module.exports = { goldenPathCacheDir };
