import { stepHref } from './stepLink';

describe('stepHref', () => {
  it('opens a template with its form pre-filled', () => {
    const href = stepHref({
      type: 'template',
      title: 'Add a Go service',
      templateRef: 'template:default/go-service',
      formData: { owner: 'group:default/team-a' },
    });
    expect(href).toBe(
      `/create/templates/default/go-service?formData=${encodeURIComponent(
        '{"owner":"group:default/team-a"}',
      )}`,
    );
  });

  it('opens an entity tab', () => {
    expect(
      stepHref({
        type: 'entity',
        title: 'x',
        entityRef: 'component:default/order-service',
        tab: 'architecture',
      }),
    ).toBe('/catalog/default/component/order-service/architecture');
  });

  it('opens a page of the guide', () => {
    expect(stepHref({ type: 'docs', title: 'x', path: 'migrations' })).toBe(
      '/docs/default/component/golden-path-for-go-bundle/migrations/',
    );
  });
});
