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
