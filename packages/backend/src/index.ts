/*
 * The local Backstage backend of Golden Path for Go: the stock Backstage
 * plugins a platform team runs, plus the bundle's own modules. A platform
 * team copies the `golden-path` lines below into its own backend.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for local use (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// golden-path: the templates, shipped in the package (no catalog location to write)
backend.add(
  import('@golden-path/plugin-catalog-backend-module-golden-path-templates'),
);
// golden-path, local development only: register what golden-path:publish:local
// writes (file locations); refuses to start in a production build
backend.add(
  import(
    '@golden-path/plugin-catalog-backend-module-golden-path-local-locations'
  ),
);
// golden-path: Go services of the local monorepos discovered on a schedule
backend.add(import('@golden-path/plugin-catalog-backend-module-golden-path'));

// permissions: allow-all is the documented local default; replace it with
// your own policy in production
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitea'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// golden-path: buf, sqlc and Atlas actions, local publish, catalog registration
backend.add(
  import('@golden-path/plugin-scaffolder-backend-module-golden-path'),
);
// golden-path: insights API (layers, proto APIs, migrations) of Go services
backend.add(import('@golden-path/plugin-golden-path-backend'));

// techdocs
backend.add(import('@backstage/plugin-techdocs-backend'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-events-backend'));

// A backend that did not start exits, so its supervisor restarts it. Backstage
// only logs the failure, and the process would run on with the plugins that
// did start, their workers claiming shared work (scaffolder tasks).
backend.start().catch(error => {
  console.error(error);
  process.exit(1);
});
