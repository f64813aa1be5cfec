import fs from 'node:fs';
import path from 'node:path';
import { checkAtlasHcl } from './atlasHcl';

const TEMPLATE_HCL = path.resolve(
  __dirname,
  '../../../../templates/go-service/skeleton/services/${{ values.name }}-service/db/atlas.hcl',
);

describe('checkAtlasHcl', () => {
  it("accepts the go-service template's atlas.hcl, rendered", () => {
    const text = fs
      .readFileSync(TEMPLATE_HCL, 'utf8')
      .replace(/\$\{\{ values\.dbIdent \}\}/g, 'orders');
    expect(() => checkAtlasHcl(text)).not.toThrow();
  });

  it.each([
    [
      'one-line blocks and lists',
      'env "ci" {\n  schemas = ["public", "app"]\n  migration { dir = "file://migrations" }\n}\n',
    ],
    [
      'lint and diff policies',
      'lint {\n  latest = 2\n  destructive {\n    error = false\n  }\n}\ndiff {\n  skip {\n    drop_schema = true\n  }\n}\n',
    ],
    [
      'comments of every kind',
      '# a\n// b\n/* c\n d */ env "x" { // e\n  url = "postgres://h/db#frag" # not a comment inside the string\n}\n',
    ],
    ['escapes in strings', 'env "x" {\n  url = "a\\"b\\\\"\n}\n'],
  ])('accepts %s', (_name, text) => {
    expect(() => checkAtlasHcl(text)).not.toThrow();
  });

  it.each([
    [
      'a data source',
      'data "external" "x" {\n  program = ["sh"]\n}\n',
      /^atlas\.hcl:1: the block data "external" "x" is refused: it could run a program/,
    ],
    [
      'a data source behind a block comment',
      'data /* c */ "external" "x" {\n  program = ["sh"]\n}\n',
      /^atlas\.hcl:1: the block data "external" "x" is refused/,
    ],
    [
      'a data source behind a multi-line comment',
      '/*\n*/ data\t/**/"external_schema"/* */"orm" {\n}\n',
      /^atlas\.hcl:2: the block data "external_schema" "orm" is refused/,
    ],
    [
      'a data source after a comment that hides a brace',
      '# {\ndata "runtimevar" "pass" {\n  url = "gcpsecretmanager://x"\n}\n',
      /^atlas\.hcl:2: the block data "runtimevar" "pass"/,
    ],
    [
      'a function call',
      'env "local" {\n  url = getenv("DATABASE_URL")\n}\n',
      /^atlas\.hcl:2: the function call getenv\(\) in env\.url is refused/,
    ],
    [
      'a function call behind a comment',
      'env "local" {\n  url = getenv /* x */ ("DATABASE_URL")\n}\n',
      /the function call getenv\(\) in env\.url is refused/,
    ],
    [
      'a reference',
      'env "local" {\n  url = var.url\n}\n',
      /the reference var in env\.url is refused/,
    ],
    [
      'an interpolation',
      'env "local" {\n  url = "postgres://${getenv("U")}@h/db"\n}\n',
      /^atlas\.hcl:2: the interpolation \$\{…\} in a string is refused/,
    ],
    [
      'an escaped interpolation',
      'env "local" {\n  url = "$${x}"\n}\n',
      /the interpolation \$\{…\} in a string is refused/,
    ],
    [
      'a template directive',
      'env "local" {\n  url = "%{ if true }x%{ endif }"\n}\n',
      /the interpolation %\{…\} in a string is refused/,
    ],
    [
      'a heredoc',
      'env "local" {\n  url = <<EOT\n${getenv("X")}\nEOT\n}\n',
      /^atlas\.hcl:2: a heredoc \(<<\) is refused/,
    ],
    [
      'an exec block in an env',
      'env "local" {\n  exec {\n    src = "x"\n  }\n}\n',
      /the block env > exec is refused/,
    ],
    [
      'a docker block',
      'docker "postgres" "dev" {\n  image = "postgres:17"\n}\n',
      /the block docker "postgres" "dev" is refused/,
    ],
    [
      'a variable',
      'variable "url" {\n  type = string\n}\n',
      /the block variable "url" is refused/,
    ],
    [
      'an unknown attribute',
      'env "x" {\n  program = "sh"\n}\n',
      /the attribute env\.program is refused/,
    ],
    [
      'a top-level attribute',
      'url = "postgres://x"\n',
      /the attribute url is refused/,
    ],
    [
      'an expression',
      'lint {\n  latest = 1 + 1\n}\n',
      /"\+" after latest is refused/,
    ],
    [
      'an object value',
      'env "x" {\n  url = { a = 1 }\n}\n',
      /"\{" in env\.url \(only literal values are read\) is refused/,
    ],
    [
      'a function call in a list',
      'env "x" {\n  schemas = ["a", file("/etc/passwd")]\n}\n',
      /the function call file\(\) in env\.schemas is refused/,
    ],
    [
      'an unterminated comment',
      'env "x" {\n}\n/* data "external" "x" {}\n',
      /^atlas\.hcl:3: an unterminated \/\* comment is refused: HCL cannot read/,
    ],
    [
      'an unterminated string',
      'env "x" {\n  url = "abc\n}\n',
      /an unterminated string is refused/,
    ],
    [
      'a block without its brace',
      'env "x" {\n  url = "a"\n',
      /the block env without its closing \} is refused/,
    ],
    ['a stray brace', '}\n', /a \} without its block is refused/],
    [
      'lists nested 100,000 deep (the reader would overflow its stack)',
      `env "x" {\n  url = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}\n`,
      /^atlas\.hcl:2: lists nested more than 32 deep in env\.url is refused: no atlas\.hcl setting is a list that deep; /,
    ],
  ])('refuses %s', (_name, text, message) => {
    expect(() => checkAtlasHcl(text)).toThrow(message);
  });

  it('reads lists nested 32 deep', () => {
    expect(() =>
      checkAtlasHcl(
        `env "x" {\n  exclude = ${'['.repeat(32)}"x"${']'.repeat(32)}\n}\n`,
      ),
    ).not.toThrow();
  });

  it('says what to do, in one line', () => {
    let message = '';
    try {
      checkAtlasHcl('data /* c */ "external" "x" {\n}\n', 'db/atlas.hcl');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'db/atlas.hcl:1: the block data "external" "x" is refused: it could run a program or read outside the workspace; ' +
        'keep env, lint and diff blocks with literal values (the actions pass URLs and directories as flags)',
    );
  });
});
