// Scaffolder tasks through the backend's API, as the e2e suites run them.
import assert from 'node:assert/strict';
import { BACKEND_URL as BASE, authHeaders, waitForUrl } from './processes.mjs';

/** Polls a task until it ends; returns it with its log and its output. */
export async function waitForTask(id) {
  for (let i = 0; i < 900; i++) {
    const t = await (
      await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}`, {
        headers: authHeaders(),
      })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(t.status)) {
      const events = await (
        await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}/events`, {
          headers: authHeaders(),
        })
      ).json();
      t.log = events
        .map(e => e.body?.message)
        .filter(Boolean)
        .join('\n');
      t.output = events.find(e => e.type === 'completion')?.body?.output;
      return t;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`task ${id} did not finish`);
}

/** Starts a task from a template and waits for it to end. */
export async function runTask(templateRef, values) {
  const created = await fetch(`${BASE}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...authHeaders(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateRef, values }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  return waitForTask((await created.json()).id);
}

/** Waits until the catalog serves each named template (default namespace), failing early if `backend` exits. */
export async function waitForTemplates(backend, names) {
  for (const name of names) {
    await waitForUrl(
      `${BASE}/api/catalog/entities/by-name/template/default/${name}`,
      { child: backend, headers: authHeaders() },
    );
  }
}
