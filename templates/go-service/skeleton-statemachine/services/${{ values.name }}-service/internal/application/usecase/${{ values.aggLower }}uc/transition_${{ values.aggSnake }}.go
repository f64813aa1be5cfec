{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set async = values.stage == 'async' -%}
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

type transition${{ A }}UseCase struct {
	repo   repository.${{ A }}Repository
	tx     output.TxManager
{%- if async %}
	events output.EventPublisher
{%- endif %}
	logger *zap.Logger
	now    func() time.Time
}

func newTransition${{ A }}UseCase(repo repository.${{ A }}Repository, tx output.TxManager, {% if async %}events output.EventPublisher, {% endif %}logger *zap.Logger) input.Transition${{ A }}UseCase {
	if repo == nil || tx == nil || {% if async %}events == nil || {% endif %}logger == nil {
		panic("${{ values.aggLower }}uc: newTransition${{ A }}UseCase needs every dependency")
	}
	return &transition${{ A }}UseCase{repo: repo, tx: tx, {% if async %}events: events, {% endif %}logger: logger, now: time.Now}
}

// Execute locks the ${{ a }}, applies the transition and stores the new status
{%- if async %} and
// the StatusChanged event{% endif %} in one transaction. A transition that is not allowed from the
// current status fails with FailedPrecondition (entity.ErrInvalidTransition).
func (u *transition${{ A }}UseCase) Execute(ctx context.Context, req *request.Transition${{ A }}) (*response.${{ A }}, error) {
	var result *entity.${{ A }}
	err := u.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := u.repo.GetByIDForUpdate(ctx, req.ID)
		if err != nil {
			return err
		}
		if err := e.Apply(req.Transition, u.now()); err != nil {
			return err
		}
		if err := u.repo.Update(ctx, e); err != nil {
			return err
		}
{%- if async %}
		if err := u.events.Publish(ctx, e.PullEvents()...); err != nil {
			return err
		}
{%- else %}
		e.PullEvents()
{%- endif %}
		result = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s ${{ a }} %s: %w", req.Transition, req.ID, err)
	}
	u.logger.Info("${{ a }} status changed", zap.Stringer("${{ values.aggSnake }}_id", req.ID),
		zap.String("transition", req.Transition), zap.Stringer("status", result.Status()))
	return service.To${{ A }}Response(result), nil
}
