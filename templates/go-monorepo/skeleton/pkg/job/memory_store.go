package job

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"
)

// MemoryStore is a HistoryStore and HistoryReader kept in memory, for tests
// and for services that do not need the history to survive a restart.
type MemoryStore struct {
	mu   sync.Mutex
	runs map[uuid.UUID]Run
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{runs: make(map[uuid.UUID]Run)}
}

// Insert stores a new run.
func (s *MemoryStore) Insert(_ context.Context, run Run) error {
	if err := ValidateRun(run); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.runs[run.ID]; ok {
		return fmt.Errorf("job: insert run %s: already exists", run.ID)
	}
	s.runs[run.ID] = run
	return nil
}

// Finish stores the outcome of a running run.
func (s *MemoryStore) Finish(_ context.Context, run Run) error {
	if err := ValidateFinish(run); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, ok := s.runs[run.ID]
	if !ok || stored.Status != StatusRunning {
		return fmt.Errorf("job: finish run %s: no such running run: %w", run.ID, ErrRunNotFound)
	}
	stored.Status, stored.FinishedAt, stored.Error = run.Status, run.FinishedAt, run.Error
	s.runs[run.ID] = stored
	return nil
}

// Get returns one run.
func (s *MemoryStore) Get(_ context.Context, id uuid.UUID) (Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	run, ok := s.runs[id]
	if !ok {
		return Run{}, fmt.Errorf("job: get run %s: %w", id, ErrRunNotFound)
	}
	return run, nil
}

// List returns the latest runs of job, newest first, at most limit.
func (s *MemoryStore) List(_ context.Context, job string, limit int) ([]Run, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("job: list runs of %s: limit %d is not positive", job, limit)
	}
	s.mu.Lock()
	var runs []Run
	for _, r := range s.runs {
		if r.Job == job {
			runs = append(runs, r)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(runs, func(a, b Run) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return slices.Compare(b.ID[:], a.ID[:])
	})
	return runs[:min(limit, len(runs))], nil
}
