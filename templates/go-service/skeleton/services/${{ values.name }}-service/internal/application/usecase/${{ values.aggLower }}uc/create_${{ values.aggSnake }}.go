{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set async = values.stage == 'async' -%}
// Package ${{ values.aggLower }}uc holds the use cases of the ${{ A }} aggregate: the flows
// that coordinate the repository, the transaction${{ ' and the event outbox' if async }}.
package ${{ values.aggLower }}uc

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/application/service"
	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/repository"
)

type create${{ A }}UseCase struct {
	repo   repository.${{ A }}Repository
	tx     output.TxManager
{%- if async %}
	events output.EventPublisher
{%- endif %}
	logger *zap.Logger
	now    func() time.Time
}

func newCreate${{ A }}UseCase(repo repository.${{ A }}Repository, tx output.TxManager, {% if async %}events output.EventPublisher, {% endif %}logger *zap.Logger) input.Create${{ A }}UseCase {
	if repo == nil || tx == nil || {% if async %}events == nil || {% endif %}logger == nil {
		panic("${{ values.aggLower }}uc: newCreate${{ A }}UseCase needs every dependency")
	}
	return &create${{ A }}UseCase{repo: repo, tx: tx, {% if async %}events: events, {% endif %}logger: logger, now: time.Now}
}

// Execute validates the request and stores the new ${{ a }}${{ ' together with its Created event, in one transaction' if async }}.
// A request whose RequestID an earlier call used returns that call's ${{ a }}.
func (u *create${{ A }}UseCase) Execute(ctx context.Context, req *request.Create${{ A }}) (*response.${{ A }}, error) {
	fields, err := service.To${{ A }}Fields(req.${{ A }}Fields)
	if err != nil {
		return nil, err
	}
	e, err := entity.New${{ A }}(fields, u.now())
	if err != nil {
		return nil, err
	}
	err = u.tx.WithinTx(ctx, func(ctx context.Context) error {
		stored, err := u.repo.Create(ctx, e, req.RequestID)
		if err != nil {
			return err
		}
		if stored != e {
			// A retry: request_id was used by an earlier call, whose result
			// (and events) are already stored.
			e = stored
			return nil
		}
{%- if async %}
		return u.events.Publish(ctx, e.PullEvents()...)
{%- else %}
		// The MVP stage has no event transport; the async stage publishes
		// these events through the outbox in this transaction.
		e.PullEvents()
		return nil
{%- endif %}
	})
	if err != nil {
		return nil, fmt.Errorf("create ${{ a }}: %w", err)
	}
	u.logger.Info("${{ a }} created", zap.Stringer("${{ values.aggSnake }}_id", e.ID()))
	return service.To${{ A }}Response(e), nil
}
