// Runs the README's start command, registers a small Go monorepo published
// under the local root (one service with a dependency-rule violation, a proto
// API and two migrations, the first applied by Atlas to its local database,
// the second not), then opens the service's catalog page in Debian chromium,
// clicks the Architecture tab and expects the layers, an RPC's request and
// response, and the applied and pending migrations.
// Screenshots in test-results/insights-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ROOT,
  RESULTS_DIR,
  startProcess,
  stopProcess,
  waitForUrl,
} from './lib/processes.mjs';
import { launchBrowser, signInAsGuest } from './lib/browser.mjs';
import { PG, psql } from './lib/postgres.mjs';

const BASE = 'http://127.0.0.1:7007';
const APP = 'http://localhost:3000';
const SERVICE = 'insights-e2e-service';
const DATABASE = 'insights_e2e_db'; // {db} of the "local" environment in app-config.yaml
const MODULE = 'example.com/insightse2e';
const LOCAL_ROOT =
  process.env.GOLDEN_PATH_LOCAL_ROOT ?? join(ROOT, '.tools/local-repos');
const REPO = join(LOCAL_ROOT, 'insights-e2e');
const SERVICE_DIR = `services/${SERVICE}`;
const PKG = `${MODULE}/${SERVICE_DIR}/internal`;
const ATLAS = join(ROOT, '.tools/bin/atlas');

let product;
let browser;
let locationId;

const token = () =>
  process.env.GOLDEN_PATH_TOKEN ??
  readFileSync(join(ROOT, '.tools/dev-token'), 'utf8').trim();
const headers = () => ({
  Authorization: `Bearer ${token()}`,
  'content-type': 'application/json',
});

function write(rel, content) {
  const file = join(REPO, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** A monorepo in the golden path's layout, small enough to read at a glance. */
function writeMonorepo() {
  rmSync(REPO, { recursive: true, force: true });
  write('go.mod', `module ${MODULE}\n\ngo 1.26\n`);
  write(
    'catalog-info.yaml',
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${SERVICE}
  description: Fixture of the insights browser test
  annotations:
    golden-path.dev/go-service: ${SERVICE_DIR}
    backstage.io/source-location: dir:${REPO}/
spec:
  type: service
  lifecycle: experimental
  owner: group:default/platform-team
`,
  );
  const svc = rel => `${SERVICE_DIR}/${rel}`;
  write(
    svc('internal/domain/entity/account.go'),
    `package entity

import (
\t"errors"

\t"${PKG}/adapter/outbound/persistence"
)

// Account is a ledger account.
type Account struct {
\tid    string
\tstore persistence.Store
}

// NewAccount returns an account or an error when id is empty.
func NewAccount(id string) (*Account, error) {
\tif id == "" {
\t\treturn nil, errors.New("empty id")
\t}
\treturn &Account{id: id}, nil
}
`,
  );
  write(
    svc('internal/domain/repository/account_repository.go'),
    `package repository

import (
\t"context"

\t"${PKG}/domain/entity"
)

// AccountRepository stores accounts.
type AccountRepository interface {
\tSave(ctx context.Context, a *entity.Account) error
}
`,
  );
  write(
    svc('internal/application/usecase/open_account.go'),
    `package usecase

import (
\t"context"

\t"${PKG}/domain/entity"
\t"${PKG}/domain/repository"
)

// OpenAccount opens accounts.
type OpenAccount struct{ repo repository.AccountRepository }

// NewOpenAccount returns the use case.
func NewOpenAccount(repo repository.AccountRepository) *OpenAccount { return &OpenAccount{repo: repo} }

// Execute opens one account.
func (u *OpenAccount) Execute(ctx context.Context, id string) error {
\ta, err := entity.NewAccount(id)
\tif err != nil {
\t\treturn err
\t}
\treturn u.repo.Save(ctx, a)
}
`,
  );
  write(
    svc('internal/application/usecase/di.go'),
    `package usecase

import "go.uber.org/fx"

// Module provides the use cases.
func Module() fx.Option { return fx.Module("usecase", fx.Provide(NewOpenAccount)) }
`,
  );
  write(
    svc('internal/adapter/inbound/grpc/handler.go'),
    `package grpc

import "${PKG}/application/usecase"

// Handler serves the ledger API.
type Handler struct{ open *usecase.OpenAccount }
`,
  );
  write(
    svc('internal/adapter/outbound/persistence/store.go'),
    `package persistence

// Store is the PostgreSQL store.
type Store struct{}
`,
  );
  write(
    svc('internal/infrastructure/fx/app.go'),
    `package fx

import (
\t"go.uber.org/fx"

\t"${PKG}/application/usecase"
)

// App wires the service.
func App() *fx.App { return fx.New(usecase.Module()) }
`,
  );
  write(
    svc('cmd/main.go'),
    `package main

import appfx "${PKG}/infrastructure/fx"

func main() { appfx.App().Run() }
`,
  );
  write(
    'api/proto/insights-e2e/v1/ledger.proto',
    `syntax = "proto3";

package insights_e2e.v1;

import "google/protobuf/timestamp.proto";

service LedgerService {
  rpc OpenAccount(OpenAccountRequest) returns (OpenAccountResponse);
  rpc WatchBalance(WatchBalanceRequest) returns (stream WatchBalanceResponse);
}

message OpenAccountRequest {
  string owner_id = 1;
  repeated string tags = 2;
}

message OpenAccountResponse {
  string account_id = 1;
  google.protobuf.Timestamp opened_at = 2;
}

message WatchBalanceRequest {
  string account_id = 1;
}

message WatchBalanceResponse {
  int64 balance_cents = 1;
}
`,
  );
  const migrations = join(REPO, SERVICE_DIR, 'db/migrations');
  write(
    `${SERVICE_DIR}/db/migrations/20260101000000_create_accounts.sql`,
    'CREATE TABLE accounts (id text PRIMARY KEY);\n',
  );
  write(
    `${SERVICE_DIR}/db/migrations/20260201000000_add_owner.sql`,
    'ALTER TABLE accounts ADD COLUMN owner_id text;\n',
  );
  execFileSync(ATLAS, ['migrate', 'hash', '--dir', `file://${migrations}`], {
    stdio: 'pipe',
  });
}

/** A database with the first migration applied by Atlas, the second not. */
function prepareDatabase() {
  psql(`drop database if exists "${DATABASE}" with (force)`);
  psql(`create database "${DATABASE}"`);
  const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${DATABASE}?sslmode=disable`;
  execFileSync(
    ATLAS,
    [
      'migrate',
      'apply',
      '--dir',
      `file://${join(REPO, SERVICE_DIR, 'db/migrations')}`,
      '--url',
      url,
      '1',
    ],
    { stdio: 'pipe' },
  );
}

before(async () => {
  writeMonorepo();
  prepareDatabase();
  product = startProcess('insights-page-start', 'bash', [
    join(ROOT, 'scripts/start.sh'),
  ]);
  await waitForUrl(`${BASE}/.backstage/health/v1/readiness`, {
    child: product,
  });
  const res = await fetch(`${BASE}/api/catalog/locations`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({
      type: 'file',
      target: join(REPO, 'catalog-info.yaml'),
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  locationId = (await res.json()).location.id;
  await waitForUrl(
    `${BASE}/api/catalog/entities/by-name/component/default/${SERVICE}`,
    {
      headers: headers(),
      timeoutMs: 120_000,
    },
  );
  await waitForUrl(APP, { child: product, timeoutMs: 600_000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (locationId) {
    await fetch(`${BASE}/api/catalog/locations/${locationId}`, {
      method: 'DELETE',
      headers: headers(),
    }).catch(() => {});
  }
  if (product) await stopProcess(product);
  try {
    psql(`drop database if exists "${DATABASE}" with (force)`);
  } catch {
    /* PostgreSQL gone */
  }
  rmSync(REPO, { recursive: true, force: true });
});

test('the insights API analyses the fixture service', async () => {
  const res = await fetch(
    `${BASE}/api/golden-path/entities/component/default/${SERVICE}/insights`,
    {
      headers: headers(),
    },
  );
  assert.equal(res.status, 200, await res.clone().text());
  const insights = await res.json();
  writeFileSync(
    join(RESULTS_DIR, 'insights-e2e.json'),
    JSON.stringify(insights, null, 2),
  );
  assert.ok(
    insights.layers.violations.some(
      v => v.fromLayer === 'domain' && v.toLayer === 'adapter',
    ),
  );
  const local = insights.migrations.environments.find(e => e.name === 'local');
  assert.deepEqual(
    local?.versions.map(v => [v.version, v.state]),
    [
      ['20260101000000', 'applied'],
      ['20260201000000', 'pending'],
    ],
    JSON.stringify(local),
  );
});

test('the Architecture tab shows the layers, an RPC and a pending migration', async () => {
  const insights = JSON.parse(
    readFileSync(join(RESULTS_DIR, 'insights-e2e.json'), 'utf8'),
  );
  const page = await browser.newPage();
  await page.goto(`${APP}/catalog/default/component/${SERVICE}`);
  await signInAsGuest(page);
  try {
    // The overview card, then the tab.
    await page
      .getByText('Golden Path insights')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.getByText('local: pending').waitFor({ timeout: 120_000 });
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-overview.png'),
      fullPage: true,
    });
    await page
      .getByLabel('Golden Path insights', { exact: true })
      .screenshot({ path: join(RESULTS_DIR, 'insights-card.png') });
    await page
      .getByRole('tab', { name: 'Architecture' })
      .or(page.getByRole('link', { name: 'Architecture' }))
      .first()
      .click();
    await page.waitForURL(/\/architecture$/);

    const diagram = page.getByTestId('layer-diagram');
    await diagram.waitFor({ timeout: 120_000 });
    for (const layer of [
      'Domain',
      'Application',
      'Adapter',
      'Infrastructure',
      'Cmd',
    ]) {
      await diagram.getByText(layer, { exact: true }).waitFor();
    }
    await diagram.getByText('domain → adapter ×1').waitFor();
    // The arrow is drawn in a visible colour (theme variables resolve in SVG).
    const stroke = await diagram
      .locator('[data-violation-arrow="domain->adapter"] path')
      .evaluate(el => getComputedStyle(el).stroke);
    assert.ok(
      !['none', 'rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(stroke),
      `arrow stroke ${stroke}`,
    );
    await page
      .getByText(`${SERVICE_DIR}/internal/domain/entity/account.go:`, {
        exact: false,
      })
      .first()
      .waitFor();
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-layers.png'),
      fullPage: true,
    });

    await page.getByRole('button', { name: /OpenAccount/ }).click();
    await page
      .getByText('insights_e2e.v1.OpenAccountRequest')
      .or(page.getByText('OpenAccountRequest', { exact: true }))
      .first()
      .waitFor();
    const reportsFields = insights.protos.files.some(f =>
      Array.isArray(f.messageDetails),
    );
    if (reportsFields) {
      await page.getByText('owner_id', { exact: true }).waitFor();
      await page.getByText('repeated string', { exact: true }).waitFor();
    } else {
      await page
        .getByText('The insights backend does not report message fields yet.')
        .first()
        .waitFor();
    }
    await page
      .getByRole('button', { name: /WatchBalance/ })
      .getByText(/server streaming/)
      .waitFor();

    const local = page.getByLabel('environment local');
    await local.getByText('20260201000000', { exact: true }).waitFor();
    await page.getByText('atlas.sum ok').waitFor();
    // the environment's chip and the second version's
    assert.equal(await local.locator('[data-status="pending"]').count(), 2);
    assert.equal(await local.locator('[data-status="applied"]').count(), 1);
    for (const [label, file] of [
      ['Layers', 'insights-tab-layers.png'],
      ['Proto APIs', 'insights-tab-protos.png'],
      ['Migrations', 'insights-tab-migrations.png'],
    ]) {
      await page
        .getByLabel(label, { exact: true })
        .screenshot({ path: join(RESULTS_DIR, file) });
    }
  } finally {
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-architecture.png'),
      fullPage: true,
    });
  }
});

test('after the pending migration runs, the tab shows every version applied', async () => {
  const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${DATABASE}?sslmode=disable`;
  execFileSync(
    ATLAS,
    [
      'migrate',
      'apply',
      '--dir',
      `file://${join(REPO, SERVICE_DIR, 'db/migrations')}`,
      '--url',
      url,
    ],
    {
      stdio: 'pipe',
    },
  );
  const page = await browser.newPage();
  await page.goto(`${APP}/catalog/default/component/${SERVICE}/architecture`);
  await signInAsGuest(page);
  try {
    const local = page.getByLabel('environment local');
    await local
      .getByText('20260201000000', { exact: true })
      .waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Analyse again' }).click();
    for (
      let i = 0;
      i < 60 && (await local.locator('[data-status="pending"]').count()) > 0;
      i++
    ) {
      await page.waitForTimeout(500);
    }
    assert.equal(
      await local.locator('[data-status="pending"]').count(),
      0,
      'a version is still pending',
    );
    assert.equal(await local.locator('[data-status="applied"]').count(), 2);
  } finally {
    await page.screenshot({
      path: join(RESULTS_DIR, 'insights-applied.png'),
      fullPage: true,
    });
  }
});
