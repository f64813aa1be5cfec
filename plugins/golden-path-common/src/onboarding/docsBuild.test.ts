import {
  docsCandidateRefs,
  docsSource,
  firstLinesOfBuildError,
} from './docsBuild';

describe('docsBuild', () => {
  it('decodes the JSON-encoded sync error and keeps its first lines', () => {
    expect(
      firstLinesOfBuildError(JSON.stringify('one\n\n  two\nthree\nfour')),
    ).toBe('one two three');
    expect(firstLinesOfBuildError('plain error')).toBe('plain error');
    expect(
      firstLinesOfBuildError(
        'deficient indentation (12:1)\n\n  9 |   - search\n 10 | nav: [x\n-----^',
      ),
    ).toBe('deficient indentation (12:1)');
    expect(firstLinesOfBuildError('"broken')).toBe('"broken');
    expect(firstLinesOfBuildError('x'.repeat(500))).toHaveLength(400);
  });

  it('finds where the docs are built from', () => {
    const entity = (ref: string, location?: string) => ({
      apiVersion: 'v1',
      kind: 'Component',
      metadata: {
        name: 'a',
        annotations: {
          'backstage.io/techdocs-ref': ref,
          ...(location ? { 'backstage.io/managed-by-location': location } : {}),
        },
      },
    });
    expect(docsSource(entity('dir:.', 'file:/p/shop/catalog-info.yaml'))).toBe(
      '/p/shop',
    );
    expect(
      docsSource(
        entity('dir:./docs-site', 'url:https://git/x/blob/main/c.yaml'),
      ),
    ).toBe('https://git/x/blob/main/docs-site');
    expect(docsSource(entity('url:https://git/y'))).toBe('https://git/y');
  });

  it('checks the first monorepo and the first service once each', () => {
    const steps = [
      {
        id: 'monorepo',
        entityRefs: ['system:default/shop', 'system:default/b'],
      },
      { id: 'service', entityRefs: ['component:default/orders'] },
      { id: 'migrations', entityRefs: ['component:default/orders'] },
    ] as any;
    expect(
      docsCandidateRefs({ teamRef: 't', steps, done: 0, total: 7 }),
    ).toEqual(['system:default/shop', 'component:default/orders']);
  });
});
