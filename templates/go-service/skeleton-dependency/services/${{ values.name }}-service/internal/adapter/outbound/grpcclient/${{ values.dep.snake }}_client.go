{%- set D = values.dep -%}
{%- set PB = D.protoPkg + 'v1' -%}
package grpcclient

import (
	"context"
	"fmt"

	"go.uber.org/zap"
	"google.golang.org/grpc"

	"${{ values.pkgModule }}/circuitbreaker"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ D.protoPkg }}/v1"

	"${{ values.module }}/internal/application/port/output"
)

// ${{ D.pascal }}Service is the full proto name of the service ${{ D.serviceName }} serves.
const ${{ D.pascal }}Service = "${{ D.protoPkg }}.v1.${{ D.aggregate }}Service"

// ${{ D.camel }}Idempotent are the methods of ${{ D.pascal }}Service that only read, so
// the service config retries them on UNAVAILABLE.
var ${{ D.camel }}Idempotent = []string{"Get${{ D.aggregate }}", "List${{ D.aggPlural }}"}

// ${{ D.pascal }}Client implements output.${{ D.pascal }}Client over gRPC.
type ${{ D.pascal }}Client struct {
	conn    *grpc.ClientConn
	api     ${{ PB }}.${{ D.aggregate }}ServiceClient
	breaker *circuitbreaker.Breaker[struct{}]
}

var _ output.${{ D.pascal }}Client = (*${{ D.pascal }}Client)(nil)

// New${{ D.pascal }}Client opens the (lazy) connection to ${{ D.serviceName }}.
func New${{ D.pascal }}Client(o Options, log *zap.Logger) (*${{ D.pascal }}Client, error) {
	conn, breaker, err := dial(${{ D.pascal }}Service, ${{ D.camel }}Idempotent, o, log)
	if err != nil {
		return nil, err
	}
	return &${{ D.pascal }}Client{conn: conn, api: ${{ PB }}.New${{ D.aggregate }}ServiceClient(conn), breaker: breaker}, nil
}

// Get${{ D.aggregate }} calls ${{ D.pascal }}Service/Get${{ D.aggregate }}.
func (c *${{ D.pascal }}Client) Get${{ D.aggregate }}(ctx context.Context, id string) (*output.${{ D.aggregate }}Snapshot, error) {
	resp, err := c.api.Get${{ D.aggregate }}(ctx, &${{ PB }}.Get${{ D.aggregate }}Request{Id: id})
	if err != nil {
		return nil, fromStatus(fmt.Sprintf("${{ D.serviceName }} Get${{ D.aggregate }} %q", id), err)
	}
	m := resp.Get${{ D.aggregate }}()
	return &output.${{ D.aggregate }}Snapshot{
		ID:         m.GetId(),
		Version:    m.GetVersion(),
		CreateTime: m.GetCreateTime().AsTime(),
		UpdateTime: m.GetUpdateTime().AsTime(),
	}, nil
}

// BreakerState is the state of the circuit breaker in front of ${{ D.serviceName }}
// (closed, half-open or open), for health reports and tests.
func (c *${{ D.pascal }}Client) BreakerState() circuitbreaker.State { return c.breaker.State() }

// Close closes the connection.
func (c *${{ D.pascal }}Client) Close() error {
	if err := c.conn.Close(); err != nil {
		return fmt.Errorf("close the connection to ${{ D.serviceName }}: %w", err)
	}
	return nil
}
