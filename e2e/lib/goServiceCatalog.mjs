// Registers e2e/fixtures/go-services (Go services of the shop monorepo, one
// calling another, and one of another monorepo) in the running product's
// catalog, for the forms whose service fields check the catalog's Go
// services; and removes them again, so the suites sharing the product do not
// see them.
import { join } from 'node:path';
import { BACKEND_URL, ROOT, authHeaders } from './processes.mjs';

const TARGET = join(ROOT, 'e2e/fixtures/go-services/catalog-info.yaml');
const headers = () => ({
  ...authHeaders(),
  'content-type': 'application/json',
});

async function entity(name) {
  const res = await fetch(
    `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${name}`,
    { headers: headers() },
  );
  return res.ok ? res.json() : undefined;
}

/**
 * Registers the fixture (or finds it registered) and waits until the catalog
 * serves order-service with its dependsOn relation. Resolves with the
 * location's id, or undefined when it was there already.
 */
export async function registerGoServices() {
  const res = await fetch(`${BACKEND_URL}/api/catalog/locations`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ type: 'file', target: TARGET }),
  });
  let id;
  if (res.status === 201) id = (await res.json()).location.id;
  else if (res.status !== 409)
    throw new Error(`registering ${TARGET}: ${res.status} ${await res.text()}`);
  for (let i = 0; i < 120; i++) {
    const order = await entity('order-service');
    const ready =
      order?.relations?.some(
        r =>
          r.type === 'dependsOn' &&
          r.targetRef === 'component:default/catalog-service',
      ) && (await entity('ledger-service'));
    if (ready) return id;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    'the fixture Go services did not appear in the catalog within 2 minutes',
  );
}

/** Removes the location registerGoServices added, with its entities. */
export async function unregisterGoServices(id) {
  if (!id) return;
  await fetch(`${BACKEND_URL}/api/catalog/locations/${id}`, {
    method: 'DELETE',
    headers: headers(),
  });
}
