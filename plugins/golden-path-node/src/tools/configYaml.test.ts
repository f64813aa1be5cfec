import { checkBufGenConfig, checkSqlcConfig } from '.';
import { parseConfigYaml } from './configYaml';

describe('parseConfigYaml', () => {
  it('applies merge keys, as the CLIs do', () => {
    expect(
      parseConfigYaml('a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n', 'f.yaml'),
    ).toEqual({ a: { b: 1 }, c: { b: 1, d: 2 } });
  });

  it('names the file and the position of bad YAML', () => {
    expect(() =>
      parseConfigYaml('version: "2"\nsql: [\n', 'sqlc.yaml'),
    ).toThrow(/^sqlc\.yaml is not valid YAML: .*\(3:1\)$/);
    expect(() => parseConfigYaml('a: 1\na: 2\n', 'buf.yaml')).toThrow(
      /buf\.yaml is not valid YAML: duplicated mapping key/,
    );
  });

  it('refuses aliases that expand a small file into a huge document, in a few milliseconds', () => {
    // each level repeats the previous one 10 times: 10^6 values from 8 lines
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 7; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `${lines.join('\n')}\n`;
    expect(text.length).toBeLessThan(1000);
    expect(() => parseConfigYaml(text, 'sqlc.yaml')).toThrow(
      /^sqlc\.yaml expands to more than 100,000 values through YAML aliases \(\*name\): write the entries out instead of repeating anchors$/,
    );
  });

  it('accepts anchors used a few times, as configs share settings', () => {
    const text =
      'version: "2"\nsql:\n  - &pg {engine: postgresql, schema: [a.sql, b.sql], queries: q.sql}\n  - *pg\n  - <<: *pg\n    queries: r.sql\n';
    expect(parseConfigYaml(text, 'sqlc.yaml').sql).toHaveLength(3);
  });

  it('reads an empty file as an empty config', () => {
    expect(parseConfigYaml('', 'buf.yaml')).toEqual({});
  });
});

describe('config checks see keys brought in by a merge key', () => {
  it('refuses a sqlc process plugin merged into a plugin entry', () => {
    const text =
      'version: "2"\nplugins:\n  - name: harmless\n    <<: {process: {cmd: /bin/sh}}\n';
    expect(() =>
      checkSqlcConfig(text, { processCommands: [], searchPath: [] }),
    ).toThrow('plugins[0].process.cmd "/bin/sh" is refused');
  });

  it('refuses a buf remote plugin merged into a local one', () => {
    const text =
      'version: v2\nplugins:\n  - <<: {remote: buf.build/protocolbuffers/go}\n    local: protoc-gen-go\n    out: gen\n';
    expect(() => checkBufGenConfig(text, ['protoc-gen-go'])).toThrow(
      /remote "buf.build\/protocolbuffers\/go" is refused/,
    );
  });
});
