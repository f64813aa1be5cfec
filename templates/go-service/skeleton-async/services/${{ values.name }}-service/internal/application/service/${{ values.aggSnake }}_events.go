{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
package service

import (
	"context"
	"time"

	"github.com/google/uuid"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/domain/event"
)

// eventful${{ A }}Service records the Updated and Deleted events of the
// ${{ A }}Service it wraps through the EventPublisher (the outbox), in the
// transaction of the change: the inner service's own transaction joins it.
type eventful${{ A }}Service struct {
	${{ A }}Service
	tx     output.TxManager
	events output.EventPublisher
	now    func() time.Time
}

// With${{ A }}Events wraps s so that Update and Delete publish
// ${{ values.aggSnake }}.updated and ${{ values.aggSnake }}.deleted (the async stage's Fx graph
// decorates the ${{ A }}Service with it). It panics on a nil dependency, a
// wiring error that must not reach production.
func With${{ A }}Events(s ${{ A }}Service, tx output.TxManager, events output.EventPublisher) ${{ A }}Service {
	if s == nil || tx == nil || events == nil {
		panic("service: With${{ A }}Events needs a service, a TxManager and an EventPublisher")
	}
	return &eventful${{ A }}Service{${{ A }}Service: s, tx: tx, events: events, now: time.Now}
}

func (s *eventful${{ A }}Service) Update(ctx context.Context, req *request.Update${{ A }}) (*response.${{ A }}, error) {
	var updated *response.${{ A }}
	err := s.tx.WithinTx(ctx, func(ctx context.Context) error {
		r, err := s.${{ A }}Service.Update(ctx, req)
		if err != nil {
			return err
		}
		updated = r
		return s.events.Publish(ctx, event.${{ A }}Updated{${{ A }}ID: r.ID, At: r.UpdatedAt})
	})
	if err != nil {
		return nil, err
	}
	return updated, nil
}

func (s *eventful${{ A }}Service) Delete(ctx context.Context, id uuid.UUID) error {
	return s.tx.WithinTx(ctx, func(ctx context.Context) error {
		if err := s.${{ A }}Service.Delete(ctx, id); err != nil {
			return err
		}
		return s.events.Publish(ctx, event.${{ A }}Deleted{${{ A }}ID: id, At: s.now().UTC()})
	})
}
