{%- set g = values.agg -%}
{%- set A = g.name -%}
{%- set P = g.plural -%}
{%- set a = g.snake | replace('_', ' ') -%}
{%- set rows = g.table | replace('_', ' ') -%}
// Package ${{ g.lower }}uc holds the use cases of the ${{ A }} aggregate.
package ${{ g.lower }}uc

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	apperrors "${{ values.pkgModule }}/errors"

	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/repository"
)

const (
	defaultPageSize = 20
	maxPageSize     = 100
)

type create${{ A }}UseCase struct {
	repo repository.${{ A }}Repository
	now  func() time.Time
}

func newCreate${{ A }}UseCase(repo repository.${{ A }}Repository) input.Create${{ A }}UseCase {
	if repo == nil {
		panic("${{ g.lower }}uc: newCreate${{ A }}UseCase needs a repository")
	}
	return &create${{ A }}UseCase{repo: repo, now: time.Now}
}

// Execute checks the ${{ a }}'s invariants and stores it.
func (u *create${{ A }}UseCase) Execute(ctx context.Context, fields entity.${{ A }}Fields) (*entity.${{ A }}, error) {
	e, err := entity.New${{ A }}(fields, u.now())
	if err != nil {
		return nil, err
	}
	if err := u.repo.Create(ctx, e); err != nil {
		return nil, fmt.Errorf("create ${{ a }}: %w", err)
	}
	return e, nil
}

type get${{ A }}UseCase struct {
	repo repository.${{ A }}Repository
}

func newGet${{ A }}UseCase(repo repository.${{ A }}Repository) input.Get${{ A }}UseCase {
	if repo == nil {
		panic("${{ g.lower }}uc: newGet${{ A }}UseCase needs a repository")
	}
	return &get${{ A }}UseCase{repo: repo}
}

// Execute returns the ${{ a }} or entity.Err${{ A }}NotFound.
func (u *get${{ A }}UseCase) Execute(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error) {
	return u.repo.GetByID(ctx, id)
}

type list${{ P }}UseCase struct {
	repo repository.${{ A }}Repository
}

func newList${{ P }}UseCase(repo repository.${{ A }}Repository) input.List${{ P }}UseCase {
	if repo == nil {
		panic("${{ g.lower }}uc: newList${{ P }}UseCase needs a repository")
	}
	return &list${{ P }}UseCase{repo: repo}
}

// Execute reads one row more than the page to know whether another follows.
func (u *list${{ P }}UseCase) Execute(ctx context.Context, after uuid.UUID, pageSize int) (*input.${{ A }}Page, error) {
	switch {
	case pageSize < 0:
		return nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("page_size %d is negative", pageSize))
	case pageSize == 0:
		pageSize = defaultPageSize
	case pageSize > maxPageSize:
		pageSize = maxPageSize
	}
	items, err := u.repo.List(ctx, after, pageSize+1)
	if err != nil {
		return nil, fmt.Errorf("list ${{ rows }}: %w", err)
	}
	page := &input.${{ A }}Page{Items: items}
	if len(items) > pageSize {
		page.Items, page.HasMore = items[:pageSize], true
	}
	return page, nil
}

type update${{ A }}UseCase struct {
	repo repository.${{ A }}Repository
	now  func() time.Time
}

func newUpdate${{ A }}UseCase(repo repository.${{ A }}Repository) input.Update${{ A }}UseCase {
	if repo == nil {
		panic("${{ g.lower }}uc: newUpdate${{ A }}UseCase needs a repository")
	}
	return &update${{ A }}UseCase{repo: repo, now: time.Now}
}

// Execute reads the ${{ a }}, checks the version the client read and the new
// fields' invariants, and stores the change only over that version: a
// concurrent writer makes it ABORTED, never a lost update.
func (u *update${{ A }}UseCase) Execute(ctx context.Context, id uuid.UUID, version int64, fields entity.${{ A }}Fields) (*entity.${{ A }}, error) {
	e, err := u.repo.GetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := e.CheckVersion(version); err != nil {
		return nil, err
	}
	if err := e.Update(fields, u.now()); err != nil {
		return nil, err
	}
	if err := u.repo.Update(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

type delete${{ A }}UseCase struct {
	repo repository.${{ A }}Repository
}

func newDelete${{ A }}UseCase(repo repository.${{ A }}Repository) input.Delete${{ A }}UseCase {
	if repo == nil {
		panic("${{ g.lower }}uc: newDelete${{ A }}UseCase needs a repository")
	}
	return &delete${{ A }}UseCase{repo: repo}
}

// Execute deletes the ${{ a }} or returns entity.Err${{ A }}NotFound.
func (u *delete${{ A }}UseCase) Execute(ctx context.Context, id uuid.UUID) error {
	return u.repo.Delete(ctx, id)
}
