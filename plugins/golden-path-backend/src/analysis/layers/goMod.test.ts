import { isDirectoryPath } from './goMod';
import { analyzeGoLayers } from './layers';
import type { SourceTree } from '../sourceTree';

describe('isDirectoryPath', () => {
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
