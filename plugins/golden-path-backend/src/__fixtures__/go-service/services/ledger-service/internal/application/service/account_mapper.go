package service

import (
	"errors"
	"fmt"

	apperrors "github.com/acme/go-pkg/errors"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/dto/response"
	"github.com/acme/ledger-service/internal/domain/entity"
	"github.com/acme/ledger-service/internal/domain/valueobject"
)

// ToAccountFields converts request values to domain values, collecting every
// invalid value into one InvalidArgument error.
func ToAccountFields(in request.AccountFields) (entity.AccountFields, error) {
	var errs []error
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
	}
	var err error
	out := entity.AccountFields{}
	out.OwnerID = in.OwnerID
	out.DisplayName = in.DisplayName
	out.Balance, err = valueobject.NewMoney(in.Balance.CurrencyCode, in.Balance.Units, in.Balance.Nanos)
	check("balance", err)
	out.OpenedAt = in.OpenedAt
	out.Tier, err = valueobject.ParseTier(in.Tier)
	check("tier", err)
	out.Note = in.Note
	if err := errors.Join(errs...); err != nil {
		return entity.AccountFields{}, apperrors.Wrap(apperrors.CodeInvalidArgument, "invalid account", err)
	}
	return out, nil
}

// ToAccountResponse converts an account to its response DTO.
func ToAccountResponse(e *entity.Account) *response.Account {
	f := e.Fields()
	out := &response.Account{ID: e.ID(), Version: e.Version(), CreatedAt: e.CreatedAt(), UpdatedAt: e.UpdatedAt()}
	out.Status = e.Status().String()
	out.OwnerID = f.OwnerID
	out.DisplayName = f.DisplayName
	out.Balance = response.Money{CurrencyCode: f.Balance.Currency(), Units: f.Balance.Units(), Nanos: f.Balance.Nanos()}
	out.OpenedAt = f.OpenedAt
	out.Tier = f.Tier.String()
	out.Note = f.Note
	return out
}
