import { addGoWorkUse } from './addGoWorkUse';

const WORK = `// Go workspace
go 1.26.0

use (
\t./gateway
\t./pkg // shared
)
`;

describe('addGoWorkUse', () => {
  it('adds a directory to the use block, keeping comments', () => {
    const { text, changed } = addGoWorkUse(WORK, 'services/order-service');
    expect(changed).toBe(true);
    expect(text).toBe(`// Go workspace
go 1.26.0

use (
\t./gateway
\t./pkg // shared
\t./services/order-service
)
`);
  });

  it('leaves a directory already used alone', () => {
    const once = addGoWorkUse(WORK, './services/order-service').text;
    expect(addGoWorkUse(once, 'services/order-service/')).toEqual({
      text: once,
      changed: false,
    });
    expect(addGoWorkUse('go 1.26.0\n\nuse ./pkg\n', './pkg').changed).toBe(
      false,
    );
  });

  it('adds a use line when there is no block', () => {
    expect(addGoWorkUse('go 1.26.0\n', 'pkg').text).toBe(
      'go 1.26.0\n\nuse ./pkg\n',
    );
  });
});
