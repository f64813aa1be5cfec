import { readGoDeclarations } from './goDeclarations';

const sorted = (s?: Set<string>) => [...(s ?? [])].sort();

describe('readGoDeclarations', () => {
  it('reads functions, methods, types, fields, interface methods, variables and constants', () => {
    const d = readGoDeclarations(`// Package job runs jobs.
package job

import (
	"context"
	"time"
)

import "fmt"

// Scheduler fires ticks. func NotThis() {}
type Scheduler struct {
	Logger, Other *zap.Logger
	*Embedded
	pkg.Remote \`json:"r"\`
	Local
	hook func(ctx context.Context) error
	Nested struct {
		Inner int
	}
}

type (
	Runner[T any] struct{ Done chan T }
	Store interface {
		Save(ctx context.Context) error
		fmt.Stringer
	}
	Alias = Scheduler
	Names [3]string
)

const (
	First = iota
	Second
	third, Fourth = 3,
		4
)

var ErrX = fmt.Errorf("x %s", "func Fake() {}")
var Multi = map[string]int{
	"a": 1,
}

func NewScheduler(opts ...Option) (*Scheduler, error) { return nil, nil }
func NewRunner[T any](n int) *Runner[T] { return nil }
func named() (s *Scheduler, err error) { var inner = 1; _ = inner; return }
func (s *Scheduler) StopTicks() {
	func() {}()
}
func (Store) Unusual() {}
func (r *Runner[T]) RefuseNewRuns() {}
`);
    expect(d.error).toBeUndefined();
    expect(d.packageName).toBe('job');
    expect(sorted(d.names)).toEqual([
      'Alias',
      'ErrX',
      'First',
      'Fourth',
      'Multi',
      'Names',
      'NewRunner',
      'NewScheduler',
      'Runner',
      'Scheduler',
      'Second',
      'Store',
      'named',
      'third',
    ]);
    expect(sorted(d.members.get('Scheduler'))).toEqual([
      'Embedded',
      'Local',
      'Logger',
      'Nested',
      'Other',
      'Remote',
      'StopTicks',
      'hook',
    ]);
    expect(sorted(d.members.get('Runner'))).toEqual(['Done', 'RefuseNewRuns']);
    expect(sorted(d.members.get('Store'))).toEqual(['Save', 'Unusual']);
    expect(d.results.get('NewScheduler')).toBe('Scheduler');
    expect(d.results.get('named')).toBe('Scheduler');
    expect(d.results.has('NewRunner')).toBe(false);
  });

  it('reads which types come from another type and what structs and interfaces embed', () => {
    const d = readGoDeclarations(`package jwt

type Config = config
type Remote = core.Config
type Base baseConfig
type Ptr = *Scheduler
type Inst = List[int]
type Paren (config)
type Names []string
type Fn func()
type config struct {
	*ticks
	base.Scheduler
	List[int]
	Named int
	pkg.Remote \`json:"r"\`
}
type Source interface {
	io.Reader
	Local
	Get() string
}
`);
    expect(Object.fromEntries(d.underlying)).toEqual({
      Config: { type: 'config', alias: true },
      Remote: { type: 'core.Config', alias: true },
      Base: { type: 'baseConfig', alias: false },
      Ptr: { type: 'Scheduler', alias: true },
      Inst: { type: 'List', alias: true },
      Paren: { type: '', alias: false },
    });
    expect(Object.fromEntries(d.embeds)).toEqual({
      config: ['ticks', 'base.Scheduler', 'pkg.Remote'],
      Source: ['io.Reader', 'Local'],
    });
  });

  it('declares the names before each spec of a group, never a name on a continued line', () => {
    const d = readGoDeclarations(`package p

var (
	A = 1 +
		NotB
	C = 1 <<
		NotD
	E = x ==
		NotF
	G = !
		NotH
	I = 2 %
		NotJ
	K, L = 1 ^
		NotM, 2
	N = 1.
	O = 'x'
	P = "s"
	Q = f(
		NotR,
	)
)

const (
	First Kind = iota
	Second
	_
	Third
)
`);
    expect(d.error).toBeUndefined();
    expect(sorted(d.names)).toEqual(
      'A C E First G I K L N O P Q Second Third _'.split(' ').sort(),
    );
  });

  it('keeps what came before text that is not Go, and never throws', () => {
    const d = readGoDeclarations(
      'package p\n\nfunc Kept() {}\n\nvar s = "open\n',
    );
    expect([...d.names]).toEqual(['Kept', 's']);
    expect(d.error).toMatchObject({ message: 'newline in string', line: 5 });
    for (const src of [
      '',
      '\u0000\u0001\u0002',
      'package',
      'package p\nfunc (',
      'package p\ntype T struct {',
      'package p\nfunc F() (a, b',
      '\uFFFD'.repeat(1000),
      `package p\n${'{'.repeat(10000)}`,
    ])
      expect(() => readGoDeclarations(src)).not.toThrow();
    expect(readGoDeclarations('\u0000bin').error).toMatchObject({
      message: 'no package clause',
    });
  });
});
