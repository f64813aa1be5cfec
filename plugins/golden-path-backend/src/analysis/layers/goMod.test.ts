import {
  goModMinor,
  goModRequirement,
  isDirectoryPath,
  parseGoMod,
} from './goMod';
import { analyzeGoLayers } from './layers';
import type { SourceTree } from '../sourceTree';

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
    expect(goModRequirement(goMod, 'go.uber.org/fx')).toBe('direct');
  });

  it.each([
    ['../pkg', true],
    ['./pkg', true],
    ['..', true],
    ['/abs/pkg', true],
    ['C:\\src\\pkg', true],
    ['example.com/fork', false],
  ])('replacement target %s is a directory: %s', (target, dir) => {
    expect(isDirectoryPath(target)).toBe(dir);
  });
});

describe('the default rule and a replaced module written with a comment', () => {
  it('treats the proto packages of a module replaced by a directory as generated code', () => {
    const files: Record<string, string> = {
      'svc/go.mod':
        'module example.com/svc\n\ngo 1.26\n\nreplace example.com/pkg => ../pkg // shared code\n',
      'svc/internal/domain/entity/order.go':
        'package entity\n\nimport _ "example.com/pkg/proto/order/v1"\n',
      'svc/internal/application/usecase/order.go': 'package usecase\n',
    };
    const tree: SourceTree = {
      files: new Map(
        Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]),
      ),
      problems: [],
    };
    const layers = analyzeGoLayers(tree, { serviceDir: 'svc' });
    expect(
      layers.problems
        .filter(p => p.code === 'generated-code-import')
        .map(p => `${p.path}:${p.line}`),
    ).toEqual(['svc/internal/domain/entity/order.go:3']);
  });
});
