import { goModMinor, parseGoMod, parseGoWorkUses } from './goMod';

describe('goModMinor', () => {
  it.each([
    ['go 1.22', 22],
    ['go 1.21.3', 21],
    ['go 1.22rc1', 22],
    ['go 1.20\ntoolchain go1.24.1', 24],
    ['toolchain (\n\tgo1.23\n)', 23],
    ['toolchain default', 0],
    ['go 1.999999', 0],
    ['', 0],
  ])('%j -> %d', (text, minor) => {
    expect(goModMinor(parseGoMod(`module m\n${text}\n`))).toBe(minor);
  });
});

describe('parseGoMod', () => {
  it('reads module, requires and replaces, on lines and in blocks', () => {
    const goMod = parseGoMod(`// header
module "example.com/svc" // Deprecated: use v2

go 1.26

require example.com/a v1.0.0
require (
\texample.com/b v1.2.0 // indirect
\t"example.com/c" v0.1.0
)

replace example.com/pkg => ../../pkg // the monorepo's shared code
replace (
\texample.com/d v1.0.0 => example.com/d-fork v1.0.1
\texample.com/e=>./e
)
`);
    expect(goMod.module).toBe('example.com/svc');
    expect(goMod.go).toBe('1.26');
    expect(goMod.requires).toEqual([
      { path: 'example.com/a', version: 'v1.0.0', indirect: false },
      { path: 'example.com/b', version: 'v1.2.0', indirect: true },
      { path: 'example.com/c', version: 'v0.1.0', indirect: false },
    ]);
    expect(goMod.replaces).toEqual([
      { path: 'example.com/pkg', target: '../../pkg' },
      {
        path: 'example.com/d',
        version: 'v1.0.0',
        target: 'example.com/d-fork',
        targetVersion: 'v1.0.1',
      },
      { path: 'example.com/e', target: './e' },
    ]);
  });

  it('reads CRLF files and a byte order mark', () => {
    const goMod = parseGoMod(
      '\uFEFFmodule example.com/w\r\n\r\nrequire (\r\n\tgo.uber.org/fx v1.24.0\r\n)\r\n',
    );
    expect(goMod.module).toBe('example.com/w');
    expect(goMod.requires).toEqual([
      { path: 'go.uber.org/fx', version: 'v1.24.0', indirect: false },
    ]);
  });
});

describe('parseGoWorkUses', () => {
  it('reads use lines and blocks, quoted or not, without comments', () => {
    expect(
      parseGoWorkUses(
        'go 1.26\n\nuse ./a // first\nuse (\n\t"./b c"\n\t../d\n)\nreplace x => ./y\n',
      ),
    ).toEqual(['./a', './b c', '../d']);
  });
});
