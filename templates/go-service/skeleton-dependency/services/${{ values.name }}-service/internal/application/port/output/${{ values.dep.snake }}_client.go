package output

import (
	"context"
	"time"
)

// ${{ values.dep.pascal }}Client is what this service needs from ${{ values.dep.serviceName }}
// (${{ values.dep.protoPkg }}.v1.${{ values.dep.aggregate }}Service), implemented by
// internal/adapter/outbound/grpcclient. Errors are DomainErrors: CodeNotFound
// when ${{ values.dep.serviceName }} has no such ${{ values.dep.aggSnake | replace('_', ' ') }}, CodeUnavailable when it cannot
// be reached in time or its circuit breaker is open.
type ${{ values.dep.pascal }}Client interface {
	// Get${{ values.dep.aggregate }} reads one ${{ values.dep.aggSnake | replace('_', ' ') }} of ${{ values.dep.serviceName }} by id.
	Get${{ values.dep.aggregate }}(ctx context.Context, id string) (*${{ values.dep.aggregate }}Snapshot, error)
}

// ${{ values.dep.aggregate }}Snapshot is the part of a ${{ values.dep.aggSnake | replace('_', ' ') }} of ${{ values.dep.serviceName }} this
// service reads; add the fields it needs in the adapter's mapping.
type ${{ values.dep.aggregate }}Snapshot struct {
	ID         string
	Version    int64
	CreateTime time.Time
	UpdateTime time.Time
}
