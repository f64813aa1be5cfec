package grpc

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	apperrors "github.com/acme/go-pkg/errors"
	commonv1 "github.com/acme/go-pkg/proto/common/v1"
	ledgerv1 "github.com/acme/go-pkg/proto/ledger/v1"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/dto/response"
)

func parseUUID(field, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%s: %q is not a UUID", field, s))
	}
	return id, nil
}

func timeFromPB(field string, ts *timestamppb.Timestamp) (time.Time, error) {
	if ts == nil {
		return time.Time{}, nil
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("%s: %v", field, err))
	}
	return ts.AsTime(), nil
}

func moneyFromPB(m *commonv1.Money) request.Money {
	return request.Money{CurrencyCode: m.GetCurrencyCode(), Units: m.GetUnits(), Nanos: m.GetNanos()}
}

func moneyToPB(m response.Money) *commonv1.Money {
	return &commonv1.Money{CurrencyCode: m.CurrencyCode, Units: m.Units, Nanos: m.Nanos}
}

// maxRequestIDLength bounds the idempotency key, as the request_id column's CHECK does.
const maxRequestIDLength = 200

func toCreateRequest(in *ledgerv1.CreateAccountRequest) (*request.CreateAccount, error) {
	if len(in.GetRequestId()) > maxRequestIDLength {
		return nil, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("request_id: %d characters, at most %d", len(in.GetRequestId()), maxRequestIDLength))
	}
	out := &request.CreateAccount{RequestID: in.GetRequestId()}
	var errs []error
	var err error
	out.OwnerID, err = parseUUID("owner_id", in.GetOwnerId())
	errs = append(errs, err)
	out.DisplayName = in.GetDisplayName()
	out.Balance = moneyFromPB(in.GetBalance())
	out.OpenedAt, err = timeFromPB("opened_at", in.GetOpenedAt())
	errs = append(errs, err)
	out.Tier = accountTierName(in.GetTier())
	out.Note = in.Note
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func toUpdateRequest(in *ledgerv1.UpdateAccountRequest) (*request.UpdateAccount, error) {
	id, err := parseUUID("id", in.GetId())
	if err != nil {
		return nil, err
	}
	version, err := parseVersion(in.GetVersion())
	if err != nil {
		return nil, err
	}
	out := &request.UpdateAccount{ID: id, Version: version}
	var errs []error
	out.OwnerID, err = parseUUID("owner_id", in.GetOwnerId())
	errs = append(errs, err)
	out.DisplayName = in.GetDisplayName()
	out.Balance = moneyFromPB(in.GetBalance())
	out.OpenedAt, err = timeFromPB("opened_at", in.GetOpenedAt())
	errs = append(errs, err)
	out.Tier = accountTierName(in.GetTier())
	out.Note = in.Note
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func toDeleteRequest(in *ledgerv1.DeleteAccountRequest) (*request.DeleteAccount, error) {
	id, err := parseUUID("id", in.GetId())
	if err != nil {
		return nil, err
	}
	version, err := parseVersion(in.GetVersion())
	if err != nil {
		return nil, err
	}
	return &request.DeleteAccount{ID: id, Version: version}, nil
}

// parseVersion requires the version the client read: Update and Delete are
// conditional on it.
func parseVersion(v int64) (int64, error) {
	if v < 1 {
		return 0, apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("version: %d is not a version; send the version of the account you read", v))
	}
	return v, nil
}

func toPB(in *response.Account) *ledgerv1.Account {
	out := &ledgerv1.Account{Id: in.ID.String(), Version: in.Version, CreateTime: timestamppb.New(in.CreatedAt), UpdateTime: timestamppb.New(in.UpdatedAt)}
	out.Status = accountStatusToPB(in.Status)
	out.OwnerId = in.OwnerID.String()
	out.DisplayName = in.DisplayName
	out.Balance = moneyToPB(in.Balance)
	out.OpenedAt = timestamppb.New(in.OpenedAt)
	out.Tier = accountTierToPB(in.Tier)
	out.Note = in.Note
	return out
}

func accountTierName(v ledgerv1.AccountTier) string {
	switch v {
	case ledgerv1.AccountTier_ACCOUNT_TIER_BASIC:
		return "basic"
	case ledgerv1.AccountTier_ACCOUNT_TIER_PREMIUM:
		return "premium"
	case ledgerv1.AccountTier_ACCOUNT_TIER_UNSPECIFIED:
		return ""
	}
	return v.String()
}

func accountTierToPB(name string) ledgerv1.AccountTier {
	switch name {
	case "basic":
		return ledgerv1.AccountTier_ACCOUNT_TIER_BASIC
	case "premium":
		return ledgerv1.AccountTier_ACCOUNT_TIER_PREMIUM
	}
	return ledgerv1.AccountTier_ACCOUNT_TIER_UNSPECIFIED
}

func accountStatusName(v ledgerv1.AccountStatus) string {
	switch v {
	case ledgerv1.AccountStatus_ACCOUNT_STATUS_OPEN:
		return "open"
	case ledgerv1.AccountStatus_ACCOUNT_STATUS_FROZEN:
		return "frozen"
	case ledgerv1.AccountStatus_ACCOUNT_STATUS_CLOSED:
		return "closed"
	case ledgerv1.AccountStatus_ACCOUNT_STATUS_UNSPECIFIED:
		return ""
	}
	return v.String()
}

func accountStatusToPB(name string) ledgerv1.AccountStatus {
	switch name {
	case "open":
		return ledgerv1.AccountStatus_ACCOUNT_STATUS_OPEN
	case "frozen":
		return ledgerv1.AccountStatus_ACCOUNT_STATUS_FROZEN
	case "closed":
		return ledgerv1.AccountStatus_ACCOUNT_STATUS_CLOSED
	}
	return ledgerv1.AccountStatus_ACCOUNT_STATUS_UNSPECIFIED
}
