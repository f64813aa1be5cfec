{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set r = values.rpc -%}
{%- set sig %}{% for f in r.fields %},${{ f.type }}{% endfor %},{% endset -%}
{%- set hasEnum = ',enum,' in sig -%}
{%- set what %}{% for f in r.fields %}${{ f.name | replace('_', ' ') }}${{ ' and ' if loop.revindex == 2 else (', ' if not loop.last) }}{% endfor %}{% endset -%}
// Package ${{ r.pkg }} holds the use case of the ${{ r.name }} RPC: it
{%- if r.kind == 'query' %}
// pages through the ${{ values.table | replace('_', ' ') }} whose ${{ what }} match the request.
{%- else %}
// sets the ${{ what }} of one ${{ a }}.
{%- endif %}
package ${{ r.pkg }}

import (
	"context"
{%- if r.kind == 'query' %}
	"encoding/base64"
{%- endif %}
	"fmt"
{%- if r.kind == 'command' %}
	"time"
{%- endif %}

{% if r.kind == 'query' %}	"github.com/google/uuid"
{%- else %}	"go.uber.org/zap"
{%- endif %}
{%- if r.kind == 'query' %}

	apperrors "${{ values.pkgModule }}/errors"
{%- endif %}

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
	"${{ values.module }}/internal/application/port/input"
{%- if r.kind == 'command' %}
	"${{ values.module }}/internal/application/port/output"
{%- endif %}
	"${{ values.module }}/internal/application/service"
{%- if r.kind == 'command' %}
	"${{ values.module }}/internal/domain/entity"
{%- endif %}
	"${{ values.module }}/internal/domain/repository"
{%- if hasEnum %}
	"${{ values.module }}/internal/domain/valueobject"
{%- endif %}
)
{%- if r.kind == 'query' %}

type useCase struct {
	repo repository.${{ A }}Repository
}

func newUseCase(repo repository.${{ A }}Repository) input.${{ r.name }}UseCase {
	if repo == nil {
		panic("${{ r.pkg }}: newUseCase needs a repository")
	}
	return &useCase{repo: repo}
}

// Execute returns one page of the matching ${{ values.table | replace('_', ' ') }} in id order, which is
// creation order; pages are as large as List${{ values.aggPlural }}'s.
func (u *useCase) Execute(ctx context.Context, req *request.${{ r.name }}) (*response.PaginatedResult[*response.${{ A }}], error) {
	size := req.PageSize
	switch {
	case size < 0:
		return nil, apperrors.New(apperrors.CodeInvalidArgument, "page_size must not be negative")
	case size == 0:
		size = service.DefaultPageSize
	case size > service.MaxPageSize:
		size = service.MaxPageSize
	}
	after, err := decodeCursor(req.Cursor)
	if err != nil {
		return nil, err
	}
	var filter repository.${{ r.name }}Filter
{%- for f in r.fields %}
{%- if f.type == 'enum' %}
	if filter.${{ go(f.name) }}, err = valueobject.Parse${{ go(f.name) }}(req.${{ go(f.name) }}); err != nil {
		return nil, err
	}
{%- else %}
	filter.${{ go(f.name) }} = req.${{ go(f.name) }}
{%- endif %}
{%- endfor %}
	items, err := u.repo.${{ r.name }}(ctx, filter, after, size+1)
	if err != nil {
		return nil, fmt.Errorf("${{ r.snake | replace('_', ' ') }}: %w", err)
	}
	page := &response.PaginatedResult[*response.${{ A }}]{HasMore: len(items) > size}
	if page.HasMore {
		items = items[:size]
		page.NextCursor = encodeCursor(items[len(items)-1].ID())
	}
	page.Items = make([]*response.${{ A }}, 0, len(items))
	for _, e := range items {
		page.Items = append(page.Items, service.To${{ A }}Response(e))
	}
	return page, nil
}

// Cursors are the base64url form of the last id of the previous page, as
// List${{ values.aggPlural }}'s: ids are UUIDv7, so id order is creation order.
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
{%- else %}

type useCase struct {
	repo   repository.${{ A }}Repository
	tx     output.TxManager
	logger *zap.Logger
	now    func() time.Time
}

func newUseCase(repo repository.${{ A }}Repository, tx output.TxManager, logger *zap.Logger) input.${{ r.name }}UseCase {
	if repo == nil || tx == nil || logger == nil {
		panic("${{ r.pkg }}: newUseCase needs a repository, a TxManager and a logger")
	}
	return &useCase{repo: repo, tx: tx, logger: logger, now: time.Now}
}

// Execute sets the ${{ what }} of the ${{ a }} if it is still at the
// version the caller read (ABORTED otherwise); the row stays locked from the
// read to the write. The entity checks the new values as Update${{ A }} does.
func (u *useCase) Execute(ctx context.Context, req *request.${{ r.name }}) (*response.${{ A }}, error) {
	var changed *entity.${{ A }}
	err := u.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := u.repo.GetByIDForUpdate(ctx, req.ID)
		if err != nil {
			return err
		}
		if err := e.CheckVersion(req.Version); err != nil {
			return err
		}
		f := e.Fields()
{%- for f in r.fields %}
{%- if f.type == 'enum' %}
		if f.${{ go(f.name) }}, err = valueobject.Parse${{ go(f.name) }}(req.${{ go(f.name) }}); err != nil {
			return err
		}
{%- else %}
		f.${{ go(f.name) }} = req.${{ go(f.name) }}
{%- endif %}
{%- endfor %}
		if err := e.Update(f, u.now()); err != nil {
			return err
		}
		if err := u.repo.Update(ctx, e); err != nil {
			return err
		}
		changed = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("${{ r.snake | replace('_', ' ') }}: ${{ a }} %s at version %d: %w", req.ID, req.Version, err)
	}
	u.logger.Info("${{ a }} changed by ${{ r.name }}", zap.Stringer("${{ values.aggSnake }}_id", req.ID), zap.Int64("version", changed.Version()))
	return service.To${{ A }}Response(changed), nil
}
{%- endif %}
