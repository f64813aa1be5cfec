// Package integration exercises the repository and the use cases against a
// real PostgreSQL database (a fresh one per test, migrations applied).
package integration

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/acme/go-pkg/database"
	"github.com/acme/go-pkg/mapper"
	"github.com/acme/go-pkg/middleware/grpc/interceptor"

	"github.com/acme/ledger-service/internal/adapter/outbound/persistence"
	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/port/input"
	"github.com/acme/ledger-service/internal/application/port/output"
	"github.com/acme/ledger-service/internal/application/service"
	"github.com/acme/ledger-service/internal/application/usecase/accountuc"
	"github.com/acme/ledger-service/internal/domain/entity"
	"github.com/acme/ledger-service/tests/testdb"
)

var testTime = time.Date(2026, 1, 2, 3, 4, 5, 678000000, time.UTC)

type app struct {
	pool       *pgxpool.Pool
	svc        service.AccountService
	create     input.CreateAccountUseCase
	remove     input.DeleteAccountUseCase
	transition input.TransitionAccountUseCase
}

// newApp wires the application layer and the persistence adapter with Fx,
// exactly as the service does, over a fresh database.
func newApp(t *testing.T) *app {
	t.Helper()
	pool, _ := testdb.New(t)
	a := &app{pool: pool}
	fxApp := fxtest.New(t,
		fx.Supply(pool, zap.NewNop()),
		fx.Provide(fx.Annotate(database.NewTxManager, fx.As(new(output.TxManager)))),
		persistence.Module(),
		service.Module(),
		accountuc.Module(),
		fx.Populate(&a.svc, &a.create, &a.remove, &a.transition),
	)
	fxApp.RequireStart()
	t.Cleanup(fxApp.RequireStop)
	return a
}

func sampleFields() request.AccountFields {
	var f request.AccountFields
	f.OwnerID = uuid.New()
	f.DisplayName = "sample display name"
	f.Balance = request.Money{CurrencyCode: "USD", Units: 12, Nanos: 500_000_000}
	f.OpenedAt = testTime
	f.Tier = "basic"
	f.Note = mapper.Ptr("sample note")
	return f
}

func grpcCode(err error) codes.Code { return status.Code(interceptor.ToStatus(err)) }

func TestCreateGetUpdateDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)

	created, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.Status != "open" {
		t.Errorf("status = %q, want open", created.Status)
	}
	got, err := a.svc.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if !reflect.DeepEqual(got, created) {
		t.Errorf("get returned\n%+v\nwant\n%+v", got, created)
	}

	changed := sampleFields()
	updated, err := a.svc.Update(ctx, &request.UpdateAccount{ID: created.ID, AccountFields: changed})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if !updated.UpdatedAt.After(created.UpdatedAt) || !updated.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("update timestamps: created %v/%v, updated %v/%v", created.CreatedAt, created.UpdatedAt, updated.CreatedAt, updated.UpdatedAt)
	}
	if got, err = a.svc.Get(ctx, created.ID); err != nil || !reflect.DeepEqual(got, updated) {
		t.Errorf("get after update = %+v, %v; want %+v", got, err, updated)
	}

	if err := a.svc.Delete(ctx, created.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = a.svc.Get(ctx, created.ID)
	if !errors.Is(err, entity.ErrAccountNotFound) || grpcCode(err) != codes.NotFound {
		t.Errorf("get after delete: %v (code %s), want NotFound", err, grpcCode(err))
	}
	if err := a.svc.Delete(ctx, created.ID); grpcCode(err) != codes.NotFound {
		t.Errorf("second delete: %v, want NotFound", err)
	}
}

func TestNotFoundAndInvalidInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	missing := uuid.New()
	if _, err := a.svc.Get(ctx, missing); grpcCode(err) != codes.NotFound {
		t.Errorf("get missing: %v, want NotFound", err)
	}
	if _, err := a.svc.Update(ctx, &request.UpdateAccount{ID: missing, AccountFields: sampleFields()}); grpcCode(err) != codes.NotFound {
		t.Errorf("update missing: %v, want NotFound", err)
	}
	if _, err := a.create.Execute(ctx, &request.CreateAccount{}); grpcCode(err) != codes.InvalidArgument {
		t.Errorf("create with zero fields: %v, want InvalidArgument", err)
	}
	if _, err := a.svc.List(ctx, &request.ListAccounts{Cursor: "not a cursor"}); grpcCode(err) != codes.InvalidArgument {
		t.Errorf("list with a bad cursor: %v, want InvalidArgument", err)
	}
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	var want []uuid.UUID
	for range 5 {
		created, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, created.ID)
	}
	var got []uuid.UUID
	cursor, pages := "", 0
	for {
		page, err := a.svc.List(ctx, &request.ListAccounts{PageSize: 2, Cursor: cursor})
		if err != nil {
			t.Fatalf("list page %d: %v", pages+1, err)
		}
		pages++
		for _, item := range page.Items {
			got = append(got, item.ID)
		}
		if !page.HasMore {
			break
		}
		cursor = page.NextCursor
	}
	if pages != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("listed %v in %d pages, want %v in 3 pages (creation order)", got, pages, want)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	created, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := a.transition.Execute(ctx, &request.TransitionAccount{ID: created.ID, Transition: "freeze"})
	if err != nil {
		t.Fatalf("freeze: %v", err)
	}
	if moved.Status != "frozen" {
		t.Errorf("status after freeze = %q, want frozen", moved.Status)
	}
	if got, err := a.svc.Get(ctx, created.ID); err != nil || got.Status != "frozen" {
		t.Errorf("stored status = %+v, %v; want frozen", got, err)
	}
	_, err = a.transition.Execute(ctx, &request.TransitionAccount{ID: created.ID, Transition: "freeze"})
	if !errors.Is(err, entity.ErrInvalidTransition) || grpcCode(err) != codes.FailedPrecondition {
		t.Errorf("invalid transition: %v (code %s), want FailedPrecondition", err, grpcCode(err))
	}
	if _, err := a.transition.Execute(ctx, &request.TransitionAccount{ID: uuid.New(), Transition: "freeze"}); grpcCode(err) != codes.NotFound {
		t.Errorf("transition of a missing account: %v, want NotFound", err)
	}
}
