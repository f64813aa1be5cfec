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

type transitionAccountUseCase struct {
	repo   repository.AccountRepository
	tx     output.TxManager
	logger *zap.Logger
	now    func() time.Time
}

func newTransitionAccountUseCase(repo repository.AccountRepository, tx output.TxManager, logger *zap.Logger) input.TransitionAccountUseCase {
	if repo == nil || tx == nil || logger == nil {
		panic("accountuc: newTransitionAccountUseCase needs every dependency")
	}
	return &transitionAccountUseCase{repo: repo, tx: tx, logger: logger, now: time.Now}
}

// Execute locks the account, applies the transition and stores the new status in one transaction. A transition that is not allowed from the
// current status fails with FailedPrecondition (entity.ErrInvalidTransition).
func (u *transitionAccountUseCase) Execute(ctx context.Context, req *request.TransitionAccount) (*response.Account, error) {
	var result *entity.Account
	err := u.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := u.repo.GetByIDForUpdate(ctx, req.ID)
		if err != nil {
			return err
		}
		if err := e.Apply(req.Transition, u.now()); err != nil {
			return err
		}
		if err := u.repo.Update(ctx, e); err != nil {
			return err
		}
		e.PullEvents()
		result = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s account %s: %w", req.Transition, req.ID, err)
	}
	u.logger.Info("account status changed", zap.Stringer("account_id", req.ID),
		zap.String("transition", req.Transition), zap.Stringer("status", result.Status()))
	return service.ToAccountResponse(result), nil
}
