import {
  dependencyNameProblem,
  findDependencyPath,
  goServiceDependencyProblem,
  GoServiceNode,
} from './index';

const SHOP = 'system:default/shop';
const services: GoServiceNode[] = [
  { name: 'catalog', system: SHOP, calls: [] },
  { name: 'order', system: SHOP, calls: ['catalog'] },
  { name: 'shipping', system: SHOP, calls: ['order'] },
  { name: 'ledger', system: 'system:default/bank', calls: [] },
];

const check = (service: string, dependency: unknown, calls?: string[]) =>
  goServiceDependencyProblem({
    service,
    system: SHOP,
    dependency,
    at: `"${String(dependency)}"`,
    services,
    calls,
  });

describe('dependencyNameProblem', () => {
  it.each([
    ['Payment', '"Payment" is not a service name: lowercase kebab-case'],
    ['../payment', '"../payment" is not a service name'],
    [
      'payment-service',
      '"payment-service": give the name without "-service" (payment)',
    ],
    [
      'gateway',
      '"gateway" is not a service: gateway is a part of the monorepo every service shares',
    ],
    [
      'order',
      '"order" is the service itself: a service cannot depend on itself (a cycle)',
    ],
  ])('refuses %s in one line', (dep, line) => {
    const problem = dependencyNameProblem('order', dep, `"${dep}"`);
    expect(problem).toContain(line);
    expect(problem).not.toContain('\n');
  });

  it('refuses what is not a string', () => {
    expect(dependencyNameProblem('order', 42, 'dependsOn[0] 42')).toBe(
      'dependsOn[0] 42 is not a service name: lowercase kebab-case without "-service", for example order or order-history',
    );
  });

  it('passes a service name', () => {
    expect(
      dependencyNameProblem('order', 'order-history', 'x'),
    ).toBeUndefined();
  });
});

describe('findDependencyPath', () => {
  it('follows the calls, through loops, to the target', () => {
    const graph: Record<string, string[]> = {
      a: ['b'],
      b: ['c', 'a'],
      c: ['d'],
    };
    expect(findDependencyPath('a', 'd', s => graph[s] ?? [])).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(findDependencyPath('a', 'x', s => graph[s] ?? [])).toBeUndefined();
  });
});

describe('goServiceDependencyProblem', () => {
  it('passes a Go service of the same monorepo', () => {
    expect(check('shipping', 'catalog')).toBeUndefined();
    expect(check('billing', 'order')).toBeUndefined();
  });

  it("refuses a service the catalog does not have, naming the monorepo's services", () => {
    expect(check('order', 'payment')).toBe(
      '"payment": there is no Go service payment-service in the catalog; the Go services of the monorepo system:default/shop are catalog, shipping',
    );
  });

  it('refuses a Go service of another monorepo', () => {
    expect(check('order', 'ledger')).toBe(
      '"ledger": ledger-service is in system:default/bank, not in system:default/shop: a service calls only services of its own monorepo (catalog, shipping)',
    );
  });

  it('refuses the service itself and gateway/pkg/common', () => {
    expect(check('order', 'order')).toContain('is the service itself');
    expect(check('order', 'pkg')).toContain('is not a service');
  });

  it('refuses a service it calls already', () => {
    expect(check('order', 'catalog', ['catalog'])).toBe(
      '"catalog": order-service calls catalog-service already; nothing to add',
    );
  });

  it('refuses a cycle, direct or through others, with the path', () => {
    expect(check('catalog', 'order')).toBe(
      '"order": order -> catalog exists already, so catalog -> order would make a cycle',
    );
    expect(check('catalog', 'shipping')).toBe(
      '"shipping": shipping -> order -> catalog exists already, so catalog -> shipping would make a cycle',
    );
  });

  it('takes any System while the monorepo is not known', () => {
    expect(
      goServiceDependencyProblem({
        service: 'order',
        dependency: 'ledger',
        at: '"ledger"',
        services,
      }),
    ).toBeUndefined();
  });
});
