package accountuc

import (
	"context"
	"fmt"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/port/input"
	"github.com/acme/ledger-service/internal/application/port/output"
	"github.com/acme/ledger-service/internal/application/service"
	"github.com/acme/ledger-service/internal/domain/repository"
)

type deleteAccountUseCase struct {
	repo repository.AccountRepository
	svc  service.AccountService
	tx   output.TxManager
}

func newDeleteAccountUseCase(repo repository.AccountRepository, svc service.AccountService, tx output.TxManager) input.DeleteAccountUseCase {
	if repo == nil || svc == nil || tx == nil {
		panic("accountuc: newDeleteAccountUseCase needs every dependency")
	}
	return &deleteAccountUseCase{repo: repo, svc: svc, tx: tx}
}

// Execute deletes the account if it is still at the version the caller read
// (ABORTED otherwise): the row stays locked from the check to the delete,
// which the AccountService does in the same transaction.
func (u *deleteAccountUseCase) Execute(ctx context.Context, req *request.DeleteAccount) error {
	err := u.tx.WithinTx(ctx, func(ctx context.Context) error {
		e, err := u.repo.GetByIDForUpdate(ctx, req.ID)
		if err != nil {
			return err
		}
		if err := e.CheckVersion(req.Version); err != nil {
			return err
		}
		return u.svc.Delete(ctx, req.ID)
	})
	if err != nil {
		return fmt.Errorf("delete account %s at version %d: %w", req.ID, req.Version, err)
	}
	return nil
}
