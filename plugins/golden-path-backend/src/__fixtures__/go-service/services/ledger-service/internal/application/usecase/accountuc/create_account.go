// Package accountuc holds the use cases of the Account aggregate: the flows
// that coordinate the repository, the transaction.
package accountuc

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/dto/response"
	"github.com/acme/ledger-service/internal/application/port/input"
	"github.com/acme/ledger-service/internal/application/port/output"
	"github.com/acme/ledger-service/internal/application/service"
	"github.com/acme/ledger-service/internal/domain/entity"
	"github.com/acme/ledger-service/internal/domain/repository"
)

type createAccountUseCase struct {
	repo   repository.AccountRepository
	tx     output.TxManager
	logger *zap.Logger
	now    func() time.Time
}

func newCreateAccountUseCase(repo repository.AccountRepository, tx output.TxManager, logger *zap.Logger) input.CreateAccountUseCase {
	if repo == nil || tx == nil || logger == nil {
		panic("accountuc: newCreateAccountUseCase needs every dependency")
	}
	return &createAccountUseCase{repo: repo, tx: tx, logger: logger, now: time.Now}
}

// Execute validates the request and stores the new account.
// A request whose RequestID an earlier call used returns that call's account.
func (u *createAccountUseCase) Execute(ctx context.Context, req *request.CreateAccount) (*response.Account, error) {
	fields, err := service.ToAccountFields(req.AccountFields)
	if err != nil {
		return nil, err
	}
	e, err := entity.NewAccount(fields, u.now())
	if err != nil {
		return nil, err
	}
	err = u.tx.WithinTx(ctx, func(ctx context.Context) error {
		stored, err := u.repo.Create(ctx, e, req.RequestID)
		if err != nil {
			return err
		}
		if stored != e {
			// A retry: request_id was used by an earlier call, whose result
			// (and events) are already stored.
			e = stored
			return nil
		}
		// The MVP stage has no event transport; the async stage publishes
		// these events through the outbox in this transaction.
		e.PullEvents()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	u.logger.Info("account created", zap.Stringer("account_id", e.ID()))
	return service.ToAccountResponse(e), nil
}
