// Package service holds the application services: reusable operations on one
// aggregate, shared by the gRPC handler and the use cases.
package service

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	apperrors "github.com/acme/go-pkg/errors"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/dto/response"
	"github.com/acme/ledger-service/internal/application/port/output"
	"github.com/acme/ledger-service/internal/domain/entity"
	"github.com/acme/ledger-service/internal/domain/repository"
)

// Page sizes of List.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// AccountService reads, updates and deletes accounts.
type AccountService interface {
	Get(ctx context.Context, id uuid.UUID) (*response.Account, error)
	List(ctx context.Context, req *request.ListAccounts) (*response.PaginatedResult[*response.Account], error)
	Update(ctx context.Context, req *request.UpdateAccount) (*response.Account, error)
	Delete(ctx context.Context, id uuid.UUID) error
}

type accountService struct {
	repo   repository.AccountRepository
	tx     output.TxManager
	logger *zap.Logger
	now    func() time.Time
}

// NewAccountService returns the AccountService. It panics on a nil dependency,
// a wiring error that must not reach production.
func NewAccountService(repo repository.AccountRepository, tx output.TxManager, logger *zap.Logger) AccountService {
	if repo == nil || tx == nil || logger == nil {
		panic("service: NewAccountService needs a repository, a TxManager and a logger")
	}
	return &accountService{repo: repo, tx: tx, logger: logger, now: time.Now}
}

func (s *accountService) Get(ctx context.Context, id uuid.UUID) (*response.Account, error) {
	e, err := s.repo.GetByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get account %s: %w", id, err)
	}
	return ToAccountResponse(e), nil
}

func (s *accountService) List(ctx context.Context, req *request.ListAccounts) (*response.PaginatedResult[*response.Account], error) {
	size := req.PageSize
	switch {
	case size < 0:
		return nil, apperrors.New(apperrors.CodeInvalidArgument, "page_size must not be negative")
	case size == 0:
		size = DefaultPageSize
	case size > MaxPageSize:
		size = MaxPageSize
	}
	after, err := decodeCursor(req.Cursor)
	if err != nil {
		return nil, err
	}
	items, err := s.repo.List(ctx, after, size+1)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	page := &response.PaginatedResult[*response.Account]{HasMore: len(items) > size}
	if page.HasMore {
		items = items[:size]
		page.NextCursor = encodeCursor(items[len(items)-1].ID())
	}
	page.Items = make([]*response.Account, 0, len(items))
	for _, e := range items {
		page.Items = append(page.Items, ToAccountResponse(e))
	}
	return page, nil
}

func (s *accountService) Update(ctx context.Context, req *request.UpdateAccount) (*response.Account, error) {
	fields, err := ToAccountFields(req.AccountFields)
	if err != nil {
		return nil, err
	}
	var updated *entity.Account
	err = s.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := s.repo.GetByIDForUpdate(ctx, req.ID)
		if err != nil {
			return err
		}
		if req.Version != 0 {
			if err := e.CheckVersion(req.Version); err != nil {
				return err
			}
		}
		if err := e.Update(fields, s.now()); err != nil {
			return err
		}
		if err := s.repo.Update(ctx, e); err != nil {
			return err
		}
		updated = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update account %s: %w", req.ID, err)
	}
	s.logger.Info("account updated", zap.Stringer("account_id", req.ID))
	return ToAccountResponse(updated), nil
}

func (s *accountService) Delete(ctx context.Context, id uuid.UUID) error {
	err := s.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := s.repo.GetByIDForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := e.CheckDeletable(); err != nil {
			return err
		}
		return s.repo.Delete(ctx, id)
	})
	if err != nil {
		return fmt.Errorf("delete account %s: %w", id, err)
	}
	s.logger.Info("account deleted", zap.Stringer("account_id", id))
	return nil
}

// Cursors are the base64url form of the last id of the previous page; ids are
// UUIDv7, so id order is creation order.
func encodeCursor(id uuid.UUID) string { return base64.RawURLEncoding.EncodeToString(id[:]) }

func decodeCursor(cursor string) (uuid.UUID, error) {
	if cursor == "" {
		return uuid.Nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		var id uuid.UUID
		if id, err = uuid.FromBytes(raw); err == nil {
			return id, nil
		}
	}
	return uuid.Nil, apperrors.New(apperrors.CodeInvalidArgument, "cursor is not one returned by a previous page")
}
