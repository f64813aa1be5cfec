// Package persistence implements the domain repositories with sqlc over
// PostgreSQL. Every method runs in the transaction carried by the context, if
// any (database.GetDBTX), and passes database errors through
// database.MapError: constraint violations reach the client as AlreadyExists
// or InvalidArgument naming the constraint, timeouts as DeadlineExceeded or
// Aborted, anything else as Internal with its cause logged.
package persistence

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/go-pkg/database"
	apperrors "github.com/acme/go-pkg/errors"
	"github.com/acme/go-pkg/sqlutil"

	"github.com/acme/ledger-service/internal/domain/entity"
	"github.com/acme/ledger-service/internal/domain/repository"
	"github.com/acme/ledger-service/internal/domain/valueobject"
	"github.com/acme/ledger-service/sqlcgen"
)

type accountRepository struct {
	pool *pgxpool.Pool
}

func newAccountRepository(pool *pgxpool.Pool) repository.AccountRepository {
	if pool == nil {
		panic("persistence: newAccountRepository needs a pool")
	}
	return &accountRepository{pool: pool}
}

func (r *accountRepository) queries(ctx context.Context) *sqlcgen.Queries {
	return sqlcgen.New(database.GetDBTX(ctx, r.pool))
}

func (r *accountRepository) Create(ctx context.Context, e *entity.Account, requestID string) (*entity.Account, error) {
	p := toParams(e)
	if requestID != "" {
		p.RequestID = sqlutil.Text(requestID)
	}
	n, err := r.queries(ctx).CreateAccount(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("insert account: %w", database.MapError(err))
	}
	if n == 1 {
		return e, nil
	}
	// The request_id was used: the first result, committed before this insert
	// returned (ON CONFLICT waits for a concurrent insert of the same key).
	first, err := fromRow(r.queries(ctx).GetAccountByRequestID(ctx, p.RequestID))
	if err != nil {
		return nil, fmt.Errorf("account of request_id %q: %w", requestID, err)
	}
	return first, nil
}

func (r *accountRepository) GetByID(ctx context.Context, id uuid.UUID) (*entity.Account, error) {
	row, err := r.queries(ctx).GetAccount(ctx, sqlutil.UUID(id))
	return fromRow(row, err)
}

func (r *accountRepository) GetByIDForUpdate(ctx context.Context, id uuid.UUID) (*entity.Account, error) {
	row, err := r.queries(ctx).GetAccountForUpdate(ctx, sqlutil.UUID(id))
	return fromRow(row, err)
}

func (r *accountRepository) List(ctx context.Context, after uuid.UUID, limit int) ([]*entity.Account, error) {
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("list accounts: limit %d out of range 1..1000", limit)
	}
	rows, err := r.queries(ctx).ListAccounts(ctx, sqlcgen.ListAccountsParams{AfterID: sqlutil.UUID(after), PageLimit: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("select accounts: %w", database.MapError(err))
	}
	out := make([]*entity.Account, 0, len(rows))
	for _, row := range rows {
		e, err := fromRow(row, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (r *accountRepository) Update(ctx context.Context, e *entity.Account) error {
	p := toParams(e)
	var u sqlcgen.UpdateAccountParams
	u.ID, u.UpdatedAt, u.Version = p.ID, p.UpdatedAt, p.Version
	u.OwnerID = p.OwnerID
	u.DisplayName = p.DisplayName
	u.BalanceAmount, u.BalanceCurrency = p.BalanceAmount, p.BalanceCurrency
	u.OpenedAt = p.OpenedAt
	u.Tier = p.Tier
	u.Note = p.Note
	u.Status = p.Status
	n, err := r.queries(ctx).UpdateAccount(ctx, u)
	if err != nil {
		return fmt.Errorf("update account: %w", database.MapError(err))
	}
	if n == 0 {
		// Gone, or changed by a writer that did not lock the row first.
		if _, err := r.GetByID(ctx, e.ID()); err != nil {
			return err
		}
		return apperrors.New(apperrors.CodeAborted, fmt.Sprintf("account %s changed since it was read (version %d is taken): read it again", e.ID(), e.Version()))
	}
	return nil
}

func (r *accountRepository) Delete(ctx context.Context, id uuid.UUID) error {
	n, err := r.queries(ctx).DeleteAccount(ctx, sqlutil.UUID(id))
	if err != nil {
		return fmt.Errorf("delete account: %w", database.MapError(err))
	}
	if n == 0 {
		return entity.ErrAccountNotFound
	}
	return nil
}

// toParams maps an entity to the row the Create and Update queries write.
func toParams(e *entity.Account) sqlcgen.CreateAccountParams {
	f := e.Fields()
	p := sqlcgen.CreateAccountParams{ID: sqlutil.UUID(e.ID()), Version: e.Version(), CreatedAt: sqlutil.Timestamptz(e.CreatedAt()), UpdatedAt: sqlutil.Timestamptz(e.UpdatedAt())}
	p.Status = e.Status().String()
	p.OwnerID = sqlutil.UUID(f.OwnerID)
	p.DisplayName = f.DisplayName
	p.BalanceAmount = toNumeric(f.Balance)
	p.BalanceCurrency = f.Balance.Currency()
	p.OpenedAt = sqlutil.Timestamptz(f.OpenedAt)
	p.Tier = f.Tier.String()
	p.Note = sqlutil.TextPtr(f.Note)
	return p
}

// fromRow maps a row to an entity; pgx.ErrNoRows becomes ErrAccountNotFound.
func fromRow(row sqlcgen.Account, err error) (*entity.Account, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, entity.ErrAccountNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select account: %w", database.MapError(err))
	}
	id := sqlutil.FromUUID(row.ID)
	var f entity.AccountFields
	var errs []error
	f.OwnerID = sqlutil.FromUUID(row.OwnerID)
	f.DisplayName = row.DisplayName
	f.Balance, err = fromNumeric(row.BalanceAmount, row.BalanceCurrency)
	errs = append(errs, err)
	f.OpenedAt = sqlutil.FromTimestamptz(row.OpenedAt)
	f.Tier, err = valueobject.ParseTier(row.Tier)
	errs = append(errs, err)
	f.Note = sqlutil.FromTextPtr(row.Note)
	status, err := valueobject.ParseStatus(row.Status)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, invalidAccountRow(id, err)
	}
	e, err := entity.UnmarshalAccountFromDB(id, f, status, row.Version, sqlutil.FromTimestamptz(row.CreatedAt), sqlutil.FromTimestamptz(row.UpdatedAt))
	if err != nil {
		return nil, invalidAccountRow(id, err)
	}
	return e, nil
}

// invalidAccountRow reports a stored row the domain refuses (written by a
// migration, by hand or by another version of the service). It is the
// service's fault, not the caller's: CodeInternal whatever code the broken
// rule carries, so the client gets "internal error" while the logged cause
// names the row and the rule.
func invalidAccountRow(id uuid.UUID, err error) error {
	return apperrors.WithHiddenCause(apperrors.CodeInternal, "internal error",
		fmt.Errorf("stored account %s breaks a domain rule: %w", id, err))
}

var nanosPerUnit = big.NewInt(1_000_000_000)

// toNumeric stores Money as numeric(28, 9): units + nanos * 10^-9.
func toNumeric(m valueobject.Money) pgtype.Numeric {
	v := new(big.Int).Mul(big.NewInt(m.Units()), nanosPerUnit)
	v.Add(v, big.NewInt(int64(m.Nanos())))
	return pgtype.Numeric{Int: v, Exp: -9, Valid: true}
}

func fromNumeric(n pgtype.Numeric, currency string) (valueobject.Money, error) {
	if !n.Valid || n.NaN || n.InfinityModifier != pgtype.Finite {
		return valueobject.Money{}, fmt.Errorf("amount %v is not a finite number", n)
	}
	v := new(big.Int).Set(n.Int)
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(n.Exp+9))), nil)
	if n.Exp+9 >= 0 {
		v.Mul(v, scale)
	} else {
		v.Quo(v, scale)
	}
	units, nanos := new(big.Int).QuoRem(v, nanosPerUnit, new(big.Int))
	if !units.IsInt64() {
		return valueobject.Money{}, fmt.Errorf("amount %s overflows int64 units", units)
	}
	return valueobject.NewMoney(currency, units.Int64(), int32(nanos.Int64()))
}

func abs(n int32) int32 {
	if n < 0 {
		return -n
	}
	return n
}
