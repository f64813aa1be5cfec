{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
package ${{ values.aggLower }}uc

import (
	"context"
	"fmt"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/application/service"
	"${{ values.module }}/internal/domain/repository"
)

type delete${{ A }}UseCase struct {
	repo repository.${{ A }}Repository
	svc  service.${{ A }}Service
	tx   output.TxManager
}

func newDelete${{ A }}UseCase(repo repository.${{ A }}Repository, svc service.${{ A }}Service, tx output.TxManager) input.Delete${{ A }}UseCase {
	if repo == nil || svc == nil || tx == nil {
		panic("${{ values.aggLower }}uc: newDelete${{ A }}UseCase needs every dependency")
	}
	return &delete${{ A }}UseCase{repo: repo, svc: svc, tx: tx}
}

// Execute deletes the ${{ a }} if it is still at the version the caller read
// (ABORTED otherwise): the row stays locked from the check to the delete,
// which the ${{ A }}Service does in the same transaction.
func (u *delete${{ A }}UseCase) Execute(ctx context.Context, req *request.Delete${{ A }}) error {
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
		return fmt.Errorf("delete ${{ a }} %s at version %d: %w", req.ID, req.Version, err)
	}
	return nil
}
