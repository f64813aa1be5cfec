{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set P = values.aggPlural -%}
{%- set finals = (values.finalStates or []) if values.hasStateMachine else [] -%}
// Package service holds the application services: reusable operations on one
// aggregate, shared by the gRPC handler and the use cases.
package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	apperrors "${{ values.pkgModule }}/errors"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/repository"
)

// Page sizes of List.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ${{ A }}Service reads, updates and deletes ${{ values.table | replace('_', ' ') }}.
type ${{ A }}Service interface {
	Get(ctx context.Context, id uuid.UUID) (*response.${{ A }}, error)
	List(ctx context.Context, req *request.List${{ P }}) (*response.PaginatedResult[*response.${{ A }}], error)
	Update(ctx context.Context, req *request.Update${{ A }}) (*response.${{ A }}, error)
	Delete(ctx context.Context, id uuid.UUID) error
}

type ${{ values.aggCamel }}Service struct {
	repo   repository.${{ A }}Repository
	tx     output.TxManager
	logger *zap.Logger
	now    func() time.Time
}

// New${{ A }}Service returns the ${{ A }}Service. It panics on a nil dependency,
// a wiring error that must not reach production.
func New${{ A }}Service(repo repository.${{ A }}Repository, tx output.TxManager, logger *zap.Logger) ${{ A }}Service {
	if repo == nil || tx == nil || logger == nil {
		panic("service: New${{ A }}Service needs a repository, a TxManager and a logger")
	}
	return &${{ values.aggCamel }}Service{repo: repo, tx: tx, logger: logger, now: time.Now}
}

func (s *${{ values.aggCamel }}Service) Get(ctx context.Context, id uuid.UUID) (*response.${{ A }}, error) {
	e, err := s.repo.GetByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get ${{ a }} %s: %w", id, err)
	}
	return To${{ A }}Response(e), nil
}

func (s *${{ values.aggCamel }}Service) List(ctx context.Context, req *request.List${{ P }}) (*response.PaginatedResult[*response.${{ A }}], error) {
	size := req.PageSize
	switch {
	case size < 0:
		return nil, apperrors.New(apperrors.CodeInvalidArgument, "page_size must not be negative")
	case size == 0:
		size = DefaultPageSize
	case size > MaxPageSize:
		size = MaxPageSize
	}
	after, err := decodeCursor(req.Cursor)
	if err != nil {
		return nil, err
	}
	items, err := s.repo.List(ctx, after, size+1)
	if err != nil {
		return nil, fmt.Errorf("list ${{ values.table | replace('_', ' ') }}: %w", err)
	}
	page := &response.PaginatedResult[*response.${{ A }}]{HasMore: len(items) > size}
	if page.HasMore {
		items = items[:size]
		page.NextCursor = encodeCursor(items[len(items)-1].ID())
	}
	page.Items = make([]*response.${{ A }}, 0, len(items))
	for _, e := range items {
		page.Items = append(page.Items, To${{ A }}Response(e))
	}
	return page, nil
}

func (s *${{ values.aggCamel }}Service) Update(ctx context.Context, req *request.Update${{ A }}) (*response.${{ A }}, error) {
	fields, err := To${{ A }}Fields(req.${{ A }}Fields)
	if err != nil {
		return nil, err
	}
	var updated *entity.${{ A }}
	err = s.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := s.repo.GetByIDForUpdate(ctx, req.ID)
		if err != nil {
			return err
		}
		if req.Version != 0 {
			if err := e.CheckVersion(req.Version); err != nil {
				return err
			}
		}
		if err := e.Update(fields, s.now()); err != nil {
			return err
		}
		if err := s.repo.Update(ctx, e); err != nil {
			return err
		}
		updated = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update ${{ a }} %s: %w", req.ID, err)
	}
	s.logger.Info("${{ a }} updated", zap.Stringer("${{ values.aggSnake }}_id", req.ID))
	return To${{ A }}Response(updated), nil
}

func (s *${{ values.aggCamel }}Service) Delete(ctx context.Context, id uuid.UUID) error {
{%- if finals | length %}
	err := s.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := s.repo.GetByIDForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := e.CheckDeletable(); err != nil {
			return err
		}
		return s.repo.Delete(ctx, id)
	})
	if err != nil {
		return fmt.Errorf("delete ${{ a }} %s: %w", id, err)
	}
{%- else %}
	if err := s.repo.Delete(ctx, id); err != nil {
		return fmt.Errorf("delete ${{ a }} %s: %w", id, err)
	}
{%- endif %}
	s.logger.Info("${{ a }} deleted", zap.Stringer("${{ values.aggSnake }}_id", id))
	return nil
}

// Cursors are the base64url form of the last id of the previous page; ids are
// UUIDv7, so id order is creation order.
func encodeCursor(id uuid.UUID) string { return base64.RawURLEncoding.EncodeToString(id[:]) }

func decodeCursor(cursor string) (uuid.UUID, error) {
	if cursor == "" {
		return uuid.Nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		var id uuid.UUID
		if id, err = uuid.FromBytes(raw); err == nil {
			return id, nil
		}
	}
	return uuid.Nil, apperrors.New(apperrors.CodeInvalidArgument, "cursor is not one returned by a previous page")
}
