import {
  validateGoServiceDependencies,
  validateGoServiceDependency,
} from './validation';
import {
  apiHolderWith,
  fakeCatalogApi,
  goServiceEntity,
  shopEntities,
} from './testCatalog';

async function errorsOf(
  validate: (...args: any[]) => void | Promise<void>,
  value: unknown,
  formData: Record<string, unknown>,
  catalogApi: unknown = fakeCatalogApi(shopEntities),
) {
  const errors: string[] = [];
  await validate(
    value,
    { addError: (e: string) => errors.push(e) },
    { apiHolder: apiHolderWith(catalogApi), formData, schema: {} },
  );
  return errors;
}

describe('validateGoServiceDependency (Add a dependency)', () => {
  const form = { service: 'component:default/shipping-service' };
  const check = (value: unknown, formData = form, api?: unknown) =>
    errorsOf(validateGoServiceDependency, value, formData, api);

  it('passes a Go service of the same monorepo, as a ref or a name', async () => {
    expect(await check('component:default/catalog-service')).toEqual([]);
    expect(await check('catalog-service')).toEqual([]);
    expect(await check('catalog')).toEqual([]);
  });

  it('refuses a service the catalog does not have, naming the offered ones', async () => {
    expect(await check('component:default/payment-service')).toEqual([
      '"component:default/payment-service": there is no Go service payment-service in the catalog; the Go services of the monorepo system:default/shop are catalog, order',
    ]);
  });

  it('refuses the service itself', async () => {
    expect(await check('shipping-service')).toEqual([
      '"shipping-service" is the service itself: a service cannot depend on itself (a cycle)',
    ]);
  });

  it('refuses a service it calls already', async () => {
    expect(
      await check('catalog', { service: 'component:default/order-service' }),
    ).toEqual([
      '"catalog": order-service calls catalog-service already; nothing to add',
    ]);
  });

  it('refuses a cycle, through others too, with its path', async () => {
    expect(
      await check('component:default/shipping-service', {
        service: 'component:default/catalog-service',
      }),
    ).toEqual([
      '"component:default/shipping-service": shipping -> order -> catalog exists already, so catalog -> shipping would make a cycle',
    ]);
  });

  it('refuses a Go service of another monorepo and what is no service', async () => {
    expect(await check('ledger')).toEqual([
      '"ledger": ledger-service is in system:default/bank, not in system:default/shop: a service calls only services of its own monorepo (catalog, order)',
    ]);
    expect(await check('gateway')).toEqual([
      '"gateway" is not a service: gateway is a part of the monorepo every service shares',
    ]);
    expect(await check('api:default/order-grpc-api')).toEqual([
      '"api:default/order-grpc-api" is not a service name: lowercase kebab-case without "-service", for example order or order-history',
    ]);
  });

  it('says when the calling service is unknown or the catalog cannot be read', async () => {
    expect(await check('catalog', { service: 'nope' })).toEqual([
      'The service "nope" that will make the calls is no Go service of the catalog: choose it in the Service field first',
    ]);
    expect(
      await check('catalog', form, fakeCatalogApi([], new Error('503 busy'))),
    ).toEqual([
      'The catalog could not be read to check the services to call (503 busy): try again',
    ]);
  });

  it('leaves an empty value to the required check', async () => {
    expect(await check(undefined)).toEqual([]);
  });
});

describe('validateGoServiceDependencies (the Go service template)', () => {
  const form = { name: 'billing', system: 'system:default/shop' };
  const check = (value: unknown, formData: Record<string, unknown> = form) =>
    errorsOf(validateGoServiceDependencies, value, formData);

  it('passes Go services of the chosen System, and an empty list', async () => {
    expect(await check(['catalog', 'order'])).toEqual([]);
    expect(await check([])).toEqual([]);
  });

  it('names the first bad entry in one line', async () => {
    expect(await check(['catalog', 'payment', 'billing'])).toEqual([
      '"payment": there is no Go service payment-service in the catalog; the Go services of the monorepo system:default/shop are catalog, order, shipping',
    ]);
  });

  it('refuses the new service itself, a name listed twice and "-service"', async () => {
    expect(await check(['billing'])).toEqual([
      '"billing" is the service itself: a service cannot depend on itself (a cycle)',
    ]);
    expect(await check(['order', 'order'])).toEqual([
      '"order" is listed twice: list it once',
    ]);
    expect(await check(['order-service'])).toEqual([
      '"order-service": give the name without "-service" (order)',
    ]);
  });

  it('refuses a service of another System, and takes any System while none is chosen', async () => {
    expect(
      await check(['ledger'], { name: 'billing', system: 'shop' }),
    ).toEqual([
      '"ledger": ledger-service is in system:default/bank, not in system:default/shop: a service calls only services of its own monorepo (catalog, order, shipping)',
    ]);
    expect(await check(['ledger'], { name: 'billing' })).toEqual([]);
  });

  it('refuses a cycle through a service that already calls the new one', async () => {
    const entities = [
      ...shopEntities,
      goServiceEntity('audit-service', 'shop', ['billing-service']),
    ];
    expect(
      await errorsOf(
        validateGoServiceDependencies,
        ['audit'],
        form,
        fakeCatalogApi(entities),
      ),
    ).toEqual([
      '"audit": audit -> billing exists already, so billing -> audit would make a cycle',
    ]);
  });
});
