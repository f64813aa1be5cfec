import {
  TemplateValuesError,
  validateMonorepoValues,
} from './validateMonorepoValues';

const good = {
  projectName: 'shop-platform',
  pkgModule: 'github.com/acme/go-pkg',
  goVersion: '1.26',
  stage: 'mvp',
};

describe('validateMonorepoValues', () => {
  it('accepts the form defaults', () => {
    expect(validateMonorepoValues(good)).toEqual(good);
  });

  it.each([
    [{ projectName: 'shop platform' }, 'projectName "shop platform" must be'],
    [{ projectName: 'Shop' }, 'projectName "Shop" must be'],
    [{ projectName: '../x' }, 'projectName "../x" must be'],
    [{ projectName: 'a/b' }, 'projectName "a/b" must be'],
    [{ projectName: 'select' }, 'is a Go keyword'],
    [{ projectName: 'ab-' }, 'must be'],
    [{ pkgModule: 'go-pkg' }, 'must start with a host containing a dot'],
    [{ pkgModule: 'github.com/Acme/go-pkg' }, 'invalid element "Acme"'],
    [{ pkgModule: 'github.com/acme/../x' }, 'invalid element ".."'],
    [{ pkgModule: 'github.com/acme/go pkg' }, 'invalid element "go pkg"'],
    [{ pkgModule: 'github.com/acme/go-pkg/v2' }, 'major version suffix'],
    [{ goVersion: '1.20' }, 'goVersion "1.20" is not supported'],
    [{ stage: 'sync' }, 'stage "sync" must be mvp or async'],
  ])('refuses %j', (patch, message) => {
    expect(() => validateMonorepoValues({ ...good, ...patch })).toThrow(
      message,
    );
  });

  it('lists every problem at once', () => {
    let caught: unknown;
    try {
      validateMonorepoValues({
        projectName: 'X',
        pkgModule: 'x',
        goVersion: '1',
        stage: 'y',
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateValuesError);
    expect((caught as TemplateValuesError).problems).toHaveLength(4);
  });
});
