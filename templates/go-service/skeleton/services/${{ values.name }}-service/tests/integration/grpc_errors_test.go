{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set PB = values.protoPkg + 'v1' -%}
{%- set P = values.aggPlural -%}
{%- set badField = [] %}{% for f in values.fields %}{% if not f.optional and (f.type == 'string' or f.type == 'uuid') %}{% set _ = badField.push(f) %}{% endif %}{% endfor -%}
package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"go.uber.org/fx"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"${{ values.pkgModule }}/logger"
	${{ PB }} "${{ values.pkgModule }}/proto/${{ values.protoPkg }}/v1"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
)

// logLine finds the request log line of method with code whose error
// contains cause.
func (a *grpcApp) logLine(t *testing.T, method string, code codes.Code, cause string) map[string]any {
	t.Helper()
	for _, e := range a.logs.FilterMessage("grpc request").FilterField(logger.GRPCCode(code.String())).FilterField(logger.Method(method)).All() {
		if m := e.ContextMap(); strings.Contains(fmt.Sprint(m[logger.KeyError]), cause) {
			return m
		}
	}
	t.Fatalf("no %s request log line of %s with the cause %q; logged: %v", code, method, cause, a.logs.All())
	return nil
}

// TestFailedCallLogsItsCause runs the whole application (appfx.Module) with
// an observed logger and calls it through a real gRPC client: a repository
// call that fails (its table is gone) reaches the client as Internal
// "internal error" while the request's log line carries the database's cause
// and the trace id; a domain error (not found) reaches the client with its
// message, and is logged too.
func TestFailedCallLogsItsCause(t *testing.T) {
	a := startGRPCApp(t, nil)
	pool, client, ctx := a.pool, a.client, a.ctx
	method := ${{ PB }}.${{ A }}Service_Get${{ A }}_FullMethodName
	logLine := func(code codes.Code, cause string) map[string]any {
		t.Helper()
		return a.logLine(t, method, code, cause)
	}

	// A safe message: the client sees it, the log keeps the whole chain.
	missing := uuid.NewString()
	_, err := client.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: missing})
	if st := status.Convert(err); st.Code() != codes.NotFound || st.Message() != "${{ a }} not found" {
		t.Fatalf("Get${{ A }} of a missing id: %v %q, want NotFound %q", st.Code(), st.Message(), "${{ a }} not found")
	}
	logLine(codes.NotFound, "get ${{ a }} "+missing+": ${{ a }} not found")

	// Delete is conditional on the version the client read: without one it is
	// refused, naming the field; at a version of a missing row it is NOT_FOUND.
	_, err = client.Delete${{ A }}(ctx, &${{ PB }}.Delete${{ A }}Request{Id: missing})
	if st := status.Convert(err); st.Code() != codes.InvalidArgument || !strings.HasPrefix(st.Message(), "version: 0 is not a version") {
		t.Fatalf("Delete${{ A }} without a version: %v %q, want InvalidArgument naming version", st.Code(), st.Message())
	}
	if _, err := client.Delete${{ A }}(ctx, &${{ PB }}.Delete${{ A }}Request{Id: missing, Version: 1}); status.Code(err) != codes.NotFound {
		t.Fatalf("Delete${{ A }} of a missing id: %v, want NotFound", err)
	}

	// A failing repository call: its table is gone.
	if _, err := pool.Exec(context.Background(), "ALTER TABLE ${{ values.table }} RENAME TO ${{ values.table }}_moved"); err != nil {
		t.Fatal(err)
	}
	_, err = client.Get${{ A }}(ctx, &${{ PB }}.Get${{ A }}Request{Id: uuid.NewString()})
	st := status.Convert(err)
	if st.Code() != codes.Internal || st.Message() != "internal error" {
		t.Fatalf("Get${{ A }} with the table gone: %v %q, want Internal \"internal error\"", st.Code(), st.Message())
	}
	line := logLine(codes.Internal, `relation "${{ values.table }}" does not exist`)
	if id, _ := line[logger.KeyTraceID].(string); len(id) != 32 {
		t.Errorf("the failed call's log line has no trace id: %v", line)
	}
}

// TestStoredRowBreakingARuleIsInternal writes rows the domain refuses with
// SQL, as a migration or a hand fix could: reading them is the service's
// fault, not the caller's, so Get${{ A }} and List${{ P }} answer Internal
// "internal error" (never InvalidArgument, which blames the caller, nor the
// rule's text), and the request's log line names the row and the rule.
func TestStoredRowBreakingARuleIsInternal(t *testing.T) {
	var create input.Create${{ A }}UseCase
	a := startGRPCApp(t, nil, fx.Populate(&create))
	for _, tt := range []struct {
		name      string
		ddl       string // run first: drops the constraint the row would break
		update    string // breaks the row $1
		wantCause string
	}{
{%- if values.hasStateMachine %}
		// a status this version does not know, as a newer version's migration could add
		{"unknown status", "ALTER TABLE ${{ values.table }} DROP CONSTRAINT ${{ values.table }}_status_check",
			"UPDATE ${{ values.table }} SET status = 'not_a_state' WHERE id = $1", `"not_a_state" is not a valid`},
{%- endif %}
{%- if badField.length %}
{%- set f = badField[0] %}
		{"${{ f.name }} emptied", "",
			"UPDATE ${{ values.table }} SET ${{ f.name }} = ${{ "' '" if f.type == 'string' else "'00000000-0000-0000-0000-000000000000'" }} WHERE id = $1", "${{ f.name }} is required"},
{%- endif %}
		{"version 0", "ALTER TABLE ${{ values.table }} DROP CONSTRAINT ${{ values.table }}_version_check",
			"UPDATE ${{ values.table }} SET version = 0 WHERE id = $1", "version 0 is not positive"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			created, err := create.Execute(context.Background(), &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
			if err != nil {
				t.Fatal(err)
			}
			if tt.ddl != "" {
				if _, err := a.pool.Exec(context.Background(), tt.ddl); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.pool.Exec(context.Background(), tt.update, created.ID); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = a.pool.Exec(context.Background(), "DELETE FROM ${{ values.table }} WHERE id = $1", created.ID) })

			_, err = a.client.Get${{ A }}(a.ctx, &${{ PB }}.Get${{ A }}Request{Id: created.ID.String()})
			if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
				t.Errorf("Get${{ A }}: %v %q, want Internal \"internal error\"", st.Code(), st.Message())
			}
			a.logLine(t, ${{ PB }}.${{ A }}Service_Get${{ A }}_FullMethodName, codes.Internal, created.ID.String()+" breaks a domain rule")
			a.logLine(t, ${{ PB }}.${{ A }}Service_Get${{ A }}_FullMethodName, codes.Internal, tt.wantCause)

			_, err = a.client.List${{ P }}(a.ctx, &${{ PB }}.List${{ P }}Request{})
			if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
				t.Errorf("List${{ P }}: %v %q, want Internal \"internal error\"", st.Code(), st.Message())
			}
		})
	}
}
