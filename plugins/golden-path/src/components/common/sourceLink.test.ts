import { sourceFileUrl } from './sourceLink';

describe('sourceFileUrl', () => {
  it.each([
    [
      'url:https://github.com/acme/shop/tree/main/',
      'services/a b/x.go',
      7,
      'https://github.com/acme/shop/tree/main/services/a%20b/x.go#L7',
    ],
    [
      'url:https://github.com/acme/shop/tree/main',
      'x.go',
      undefined,
      'https://github.com/acme/shop/tree/main/x.go',
    ],
    ['dir:/srv/repos/shop/', 'x.go', 1, undefined],
    ['url:javascript:alert(1)', 'x.go', 1, undefined],
    ['url:not a url', 'x.go', 1, undefined],
  ])('links %s + %s', (location, path, line, expected) => {
    expect(sourceFileUrl(location, path, line)).toBe(expected);
  });
});
