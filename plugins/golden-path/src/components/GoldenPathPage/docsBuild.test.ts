import { docsBuildFailureMessage, docsPath } from './docsBuild';

describe('docsBuild', () => {
  it('links an entity to its docs page', () => {
    expect(docsPath('component:default/orders')).toBe(
      '/docs/default/component/orders',
    );
    expect(docsPath('system:shop/Shop')).toBe('/docs/shop/system/Shop');
  });

  it('names the failed build, where to fix it, and where the log is', () => {
    expect(
      docsBuildFailureMessage({
        entityRef: 'component:default/orders',
        source: '/p/shop/services/orders',
        error: 'Config value "nav": Expected a list.',
      }),
    ).toBe(
      'The docs of component:default/orders failed to build: Config value "nav": Expected a list. Fix mkdocs.yml or docs/ in /p/shop/services/orders; open the docs page for the full log.',
    );
  });
});
