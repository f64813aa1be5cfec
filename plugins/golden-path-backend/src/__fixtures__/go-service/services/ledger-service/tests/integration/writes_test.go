package integration

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/dto/response"
)

// TestCreateIsIdempotent: concurrent and later retries of a Create with the
// same request_id store one row and all return it; without a key every call
// creates.
func TestCreateIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	key := "retry-" + uuid.NewString()
	const callers = 8
	results := make([]*response.Account, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields(), RequestID: key})
		}()
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("create %d: %v", i, errs[i])
		}
		if results[i].ID != results[0].ID {
			t.Fatalf("create %d returned %s, create 0 %s: a retry created another row", i, results[i].ID, results[0].ID)
		}
	}
	again, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields(), RequestID: key})
	if err != nil || again.ID != results[0].ID || !again.CreatedAt.Equal(results[0].CreatedAt) {
		t.Fatalf("a later retry returned %+v, %v; want the first result %s", again, err, results[0].ID)
	}
	var rows int
	if err := a.pool.QueryRow(ctx, "SELECT count(*) FROM accounts WHERE request_id = $1", key).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("rows with request_id %s = %d (%v), want 1", key, rows, err)
	}
	first, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
	if err != nil || second.ID == first.ID {
		t.Fatalf("two creates without a key: %v, %v (%v); want two rows", first.ID, second.ID, err)
	}
}

// TestStaleVersionIsAborted: Update and Delete apply only at the version the
// caller read; of two concurrent updates at one version exactly one wins;
// created_at is never rewritten.
func TestStaleVersionIsAborted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	created, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	if created.Version != 1 {
		t.Fatalf("version after create = %d, want 1", created.Version)
	}
	time.Sleep(2 * time.Millisecond) // a later update time
	updated, err := a.svc.Update(ctx, &request.UpdateAccount{ID: created.ID, Version: 1, AccountFields: sampleFields()})
	if err != nil {
		t.Fatalf("update at the current version: %v", err)
	}
	if updated.Version != 2 || !updated.UpdatedAt.After(created.UpdatedAt) {
		t.Fatalf("after update: version %d, updated at %v; want 2, after %v", updated.Version, updated.UpdatedAt, created.UpdatedAt)
	}
	if _, err := a.svc.Update(ctx, &request.UpdateAccount{ID: created.ID, Version: 1, AccountFields: sampleFields()}); grpcCode(err) != codes.Aborted {
		t.Fatalf("update at a stale version: %v, want Aborted", err)
	}
	if err := a.remove.Execute(ctx, &request.DeleteAccount{ID: created.ID, Version: 1}); grpcCode(err) != codes.Aborted {
		t.Fatalf("delete at a stale version: %v, want Aborted", err)
	}

	var wg sync.WaitGroup
	results := make([]error, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = a.svc.Update(ctx, &request.UpdateAccount{ID: created.ID, Version: 2, AccountFields: sampleFields()})
		}()
	}
	wg.Wait()
	if won, lost := grpcCode(results[0]) == codes.OK, grpcCode(results[1]) == codes.OK; won == lost || (grpcCode(results[0]) != codes.Aborted && grpcCode(results[1]) != codes.Aborted) {
		t.Fatalf("two concurrent updates at version 2: %v, %v; want one OK and one Aborted", results[0], results[1])
	}

	var storedCreatedAt time.Time
	var version int64
	if err := a.pool.QueryRow(ctx, "SELECT created_at, version FROM accounts WHERE id = $1", created.ID).Scan(&storedCreatedAt, &version); err != nil {
		t.Fatal(err)
	}
	if !storedCreatedAt.Equal(created.CreatedAt) || version != 3 {
		t.Fatalf("stored created_at %v, version %d; want %v (never rewritten), 3", storedCreatedAt, version, created.CreatedAt)
	}
	if err := a.remove.Execute(ctx, &request.DeleteAccount{ID: created.ID, Version: 3}); err != nil {
		t.Fatalf("delete at the current version: %v", err)
	}
	if _, err := a.svc.Get(ctx, created.ID); grpcCode(err) != codes.NotFound {
		t.Fatalf("get after delete: %v, want NotFound", err)
	}
}

// TestFinalStatusRefusesUpdateAndDelete: once the account reaches a final
// status (closed), Update and Delete (API and command paths) are
// refused with FailedPrecondition and the row stays.
func TestFinalStatusRefusesUpdateAndDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	transitions := []struct{ name, from, to string }{
		{"freeze", "open", "frozen"},
		{"unfreeze", "frozen", "open"},
		{"close", "open", "closed"},
		{"close", "frozen", "closed"},
	}
	final := map[string]bool{"closed": true}
	// The shortest sequence of transitions from the initial status to a final one.
	type step struct {
		status string
		path   []string
	}
	var path []string
	seen := map[string]bool{"open": true}
	for queue := []step{{status: "open"}}; len(queue) > 0 && path == nil; queue = queue[1:] {
		for _, tr := range transitions {
			if tr.from != queue[0].status || seen[tr.to] {
				continue
			}
			seen[tr.to] = true
			next := append(append([]string{}, queue[0].path...), tr.name)
			if final[tr.to] {
				path = next
				break
			}
			queue = append(queue, step{tr.to, next})
		}
	}
	if path == nil {
		t.Fatal("no final status is reachable from open")
	}

	created, err := a.create.Execute(ctx, &request.CreateAccount{AccountFields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	current := created
	for _, name := range path {
		if current, err = a.transition.Execute(ctx, &request.TransitionAccount{ID: created.ID, Transition: name}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if !final[current.Status] {
		t.Fatalf("status %s after %v is not final", current.Status, path)
	}
	if _, err := a.svc.Update(ctx, &request.UpdateAccount{ID: created.ID, Version: current.Version, AccountFields: sampleFields()}); grpcCode(err) != codes.FailedPrecondition {
		t.Fatalf("update in final status %s: %v, want FailedPrecondition", current.Status, err)
	}
	if err := a.remove.Execute(ctx, &request.DeleteAccount{ID: created.ID, Version: current.Version}); grpcCode(err) != codes.FailedPrecondition {
		t.Fatalf("delete in final status %s: %v, want FailedPrecondition", current.Status, err)
	}
	if err := a.svc.Delete(ctx, created.ID); grpcCode(err) != codes.FailedPrecondition {
		t.Fatalf("delete command in final status %s: %v, want FailedPrecondition", current.Status, err)
	}
	if got, err := a.svc.Get(ctx, created.ID); err != nil || got.Version != current.Version {
		t.Fatalf("after the refusals: %+v, %v; want it unchanged at version %d", got, err, current.Version)
	}
}
