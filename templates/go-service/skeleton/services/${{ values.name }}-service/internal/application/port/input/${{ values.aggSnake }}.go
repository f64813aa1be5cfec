{%- set A = values.aggregate -%}
// Package input declares the input ports: the use cases the inbound adapters
// (gRPC handler${{ ', message consumer' if values.stage == 'async' }}) drive.
package input

import (
	"context"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/dto/response"
)

// Create${{ A }}UseCase creates ${{ 'an' if (values.aggSnake[0] in 'aeiou') else 'a' }} ${{ values.aggSnake | replace('_', ' ') }}${{ ' and records its Created event in the outbox' if values.stage == 'async' }}.
type Create${{ A }}UseCase interface {
	Execute(ctx context.Context, req *request.Create${{ A }}) (*response.${{ A }}, error)
}

// Delete${{ A }}UseCase deletes ${{ 'an' if (values.aggSnake[0] in 'aeiou') else 'a' }} ${{ values.aggSnake | replace('_', ' ') }} at the version the caller read.
type Delete${{ A }}UseCase interface {
	Execute(ctx context.Context, req *request.Delete${{ A }}) error
}
{%- if values.hasStateMachine %}

// Transition${{ A }}UseCase applies one status transition ({% for name, items in values.transitions | groupby("name") %}${{ name }}${{ ', ' if not loop.last }}{% endfor %}).
type Transition${{ A }}UseCase interface {
	Execute(ctx context.Context, req *request.Transition${{ A }}) (*response.${{ A }}, error)
}
{%- endif %}
