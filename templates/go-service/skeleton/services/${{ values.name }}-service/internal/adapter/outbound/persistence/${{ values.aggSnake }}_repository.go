{%- macro go(s) -%}{%- for p in s.split('_') -%}${{ (p | upper) if (p in ['id', 'url', 'uuid', 'api', 'http', 'ip', 'json', 'sku']) else (p | capitalize) }}{%- endfor -%}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set c = values.aggCamel -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
{%- set an = 'an' if (a[0] in 'aeiou') else 'a' -%}
{%- set sig %}{% for f in values.fields %},${{ f.type }}{% if f.optional %}?{% endif %}{% endfor %},{% endset -%}
{%- set hasMoney = ',money' in sig -%}
{%- set needPgtype = hasMoney or (',int?' in sig) or (',bool?' in sig) -%}
{%- set needVO = hasMoney or (',enum' in sig) or values.hasStateMachine -%}
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
{%- if hasMoney %}
	"math/big"
{%- endif %}

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
{%- if needPgtype %}
	"github.com/jackc/pgx/v5/pgtype"
{%- endif %}
	"github.com/jackc/pgx/v5/pgxpool"

	"${{ values.pkgModule }}/database"
	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/sqlutil"

	"${{ values.module }}/internal/domain/entity"
	"${{ values.module }}/internal/domain/repository"
{%- if needVO %}
	"${{ values.module }}/internal/domain/valueobject"
{%- endif %}
	"${{ values.module }}/sqlcgen"
)

type ${{ c }}Repository struct {
	pool *pgxpool.Pool
}

func new${{ A }}Repository(pool *pgxpool.Pool) repository.${{ A }}Repository {
	if pool == nil {
		panic("persistence: new${{ A }}Repository needs a pool")
	}
	return &${{ c }}Repository{pool: pool}
}

func (r *${{ c }}Repository) queries(ctx context.Context) *sqlcgen.Queries {
	return sqlcgen.New(database.GetDBTX(ctx, r.pool))
}

func (r *${{ c }}Repository) Create(ctx context.Context, e *entity.${{ A }}, requestID string) (*entity.${{ A }}, error) {
	p := toParams(e)
	if requestID != "" {
		p.RequestID = sqlutil.Text(requestID)
	}
	n, err := r.queries(ctx).Create${{ A }}(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("insert ${{ a }}: %w", database.MapError(err))
	}
	if n == 1 {
		return e, nil
	}
	// The request_id was used: the first result, committed before this insert
	// returned (ON CONFLICT waits for a concurrent insert of the same key).
	first, err := fromRow(r.queries(ctx).Get${{ A }}ByRequestID(ctx, p.RequestID))
	if err != nil {
		return nil, fmt.Errorf("${{ a }} of request_id %q: %w", requestID, err)
	}
	return first, nil
}

func (r *${{ c }}Repository) GetByID(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error) {
	row, err := r.queries(ctx).Get${{ A }}(ctx, sqlutil.UUID(id))
	return fromRow(row, err)
}

func (r *${{ c }}Repository) GetByIDForUpdate(ctx context.Context, id uuid.UUID) (*entity.${{ A }}, error) {
	row, err := r.queries(ctx).Get${{ A }}ForUpdate(ctx, sqlutil.UUID(id))
	return fromRow(row, err)
}

func (r *${{ c }}Repository) List(ctx context.Context, after uuid.UUID, limit int) ([]*entity.${{ A }}, error) {
	if limit <= 0 || limit > 1000 {
		return nil, fmt.Errorf("list ${{ values.table | replace('_', ' ') }}: limit %d out of range 1..1000", limit)
	}
	rows, err := r.queries(ctx).List${{ values.aggPlural }}(ctx, sqlcgen.List${{ values.aggPlural }}Params{AfterID: sqlutil.UUID(after), PageLimit: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("select ${{ values.table | replace('_', ' ') }}: %w", database.MapError(err))
	}
	out := make([]*entity.${{ A }}, 0, len(rows))
	for _, row := range rows {
		e, err := fromRow(row, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (r *${{ c }}Repository) Update(ctx context.Context, e *entity.${{ A }}) error {
	p := toParams(e)
	var u sqlcgen.Update${{ A }}Params
	u.ID, u.UpdatedAt, u.Version = p.ID, p.UpdatedAt, p.Version
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'money' %}
	u.${{ N }}Amount, u.${{ N }}Currency = p.${{ N }}Amount, p.${{ N }}Currency
{%- else %}
	u.${{ N }} = p.${{ N }}
{%- endif %}
{%- endfor %}
{%- if values.hasStateMachine %}
	u.Status = p.Status
{%- endif %}
	n, err := r.queries(ctx).Update${{ A }}(ctx, u)
	if err != nil {
		return fmt.Errorf("update ${{ a }}: %w", database.MapError(err))
	}
	if n == 0 {
		// Gone, or changed by a writer that did not lock the row first.
		if _, err := r.GetByID(ctx, e.ID()); err != nil {
			return err
		}
		return apperrors.New(apperrors.CodeAborted, fmt.Sprintf("${{ a }} %s changed since it was read (version %d is taken): read it again", e.ID(), e.Version()))
	}
	return nil
}

func (r *${{ c }}Repository) Delete(ctx context.Context, id uuid.UUID) error {
	n, err := r.queries(ctx).Delete${{ A }}(ctx, sqlutil.UUID(id))
	if err != nil {
		return fmt.Errorf("delete ${{ a }}: %w", database.MapError(err))
	}
	if n == 0 {
		return entity.Err${{ A }}NotFound
	}
	return nil
}

// toParams maps an entity to the row the Create and Update queries write.
func toParams(e *entity.${{ A }}) sqlcgen.Create${{ A }}Params {
	f := e.Fields()
	p := sqlcgen.Create${{ A }}Params{ID: sqlutil.UUID(e.ID()), Version: e.Version(), CreatedAt: sqlutil.Timestamptz(e.CreatedAt()), UpdatedAt: sqlutil.Timestamptz(e.UpdatedAt())}
{%- if values.hasStateMachine %}
	p.Status = e.Status().String()
{%- endif %}
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'money' and f.optional %}
	if f.${{ N }} != nil {
		p.${{ N }}Amount = toNumeric(*f.${{ N }})
		p.${{ N }}Currency = sqlutil.Text(f.${{ N }}.Currency())
	}
{%- elif f.type == 'money' %}
	p.${{ N }}Amount = toNumeric(f.${{ N }})
	p.${{ N }}Currency = f.${{ N }}.Currency()
{%- elif f.type == 'enum' and f.optional %}
	if f.${{ N }} != valueobject.${{ N }}Unspecified {
		p.${{ N }} = sqlutil.Text(f.${{ N }}.String())
	}
{%- elif f.type == 'enum' %}
	p.${{ N }} = f.${{ N }}.String()
{%- elif f.type == 'uuid' and f.optional %}
	if f.${{ N }} != nil {
		p.${{ N }} = sqlutil.UUID(*f.${{ N }})
	}
{%- elif f.type == 'uuid' %}
	p.${{ N }} = sqlutil.UUID(f.${{ N }})
{%- elif f.type == 'timestamp' %}
	p.${{ N }} = sqlutil.Timestamptz${{ 'Ptr' if f.optional }}(f.${{ N }})
{%- elif f.type == 'string' and f.optional %}
	p.${{ N }} = sqlutil.TextPtr(f.${{ N }})
{%- elif f.type == 'int' and f.optional %}
	p.${{ N }} = int8Ptr(f.${{ N }})
{%- elif f.type == 'bool' and f.optional %}
	p.${{ N }} = boolPtr(f.${{ N }})
{%- else %}
	p.${{ N }} = f.${{ N }}
{%- endif %}
{%- endfor %}
	return p
}

// fromRow maps a row to an entity; pgx.ErrNoRows becomes Err${{ A }}NotFound.
func fromRow(row sqlcgen.${{ A }}, err error) (*entity.${{ A }}, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, entity.Err${{ A }}NotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select ${{ a }}: %w", database.MapError(err))
	}
	id := sqlutil.FromUUID(row.ID)
	var f entity.${{ A }}Fields
{%- if hasMoney or (',enum' in sig) or values.hasStateMachine %}
	var errs []error
{%- endif %}
{%- for f in values.fields %}
{%- set N = go(f.name) %}
{%- if f.type == 'money' and f.optional %}
	if row.${{ N }}Amount.Valid {
		m, err := fromNumeric(row.${{ N }}Amount, row.${{ N }}Currency.String)
		errs = append(errs, err)
		f.${{ N }} = &m
	}
{%- elif f.type == 'money' %}
	f.${{ N }}, err = fromNumeric(row.${{ N }}Amount, row.${{ N }}Currency)
	errs = append(errs, err)
{%- elif f.type == 'enum' and f.optional %}
	if row.${{ N }}.Valid {
		f.${{ N }}, err = valueobject.Parse${{ N }}(row.${{ N }}.String)
		errs = append(errs, err)
	}
{%- elif f.type == 'enum' %}
	f.${{ N }}, err = valueobject.Parse${{ N }}(row.${{ N }})
	errs = append(errs, err)
{%- elif f.type == 'uuid' and f.optional %}
	if row.${{ N }}.Valid {
		v := uuid.UUID(row.${{ N }}.Bytes)
		f.${{ N }} = &v
	}
{%- elif f.type == 'uuid' %}
	f.${{ N }} = sqlutil.FromUUID(row.${{ N }})
{%- elif f.type == 'timestamp' %}
	f.${{ N }} = sqlutil.FromTimestamptz${{ 'Ptr' if f.optional }}(row.${{ N }})
{%- elif f.type == 'string' and f.optional %}
	f.${{ N }} = sqlutil.FromTextPtr(row.${{ N }})
{%- elif f.type == 'int' and f.optional %}
	if row.${{ N }}.Valid {
		v := row.${{ N }}.Int64
		f.${{ N }} = &v
	}
{%- elif f.type == 'bool' and f.optional %}
	if row.${{ N }}.Valid {
		v := row.${{ N }}.Bool
		f.${{ N }} = &v
	}
{%- else %}
	f.${{ N }} = row.${{ N }}
{%- endif %}
{%- endfor %}
{%- if values.hasStateMachine %}
	status, err := valueobject.ParseStatus(row.Status)
	errs = append(errs, err)
{%- endif %}
{%- if hasMoney or (',enum' in sig) or values.hasStateMachine %}
	if err := errors.Join(errs...); err != nil {
		return nil, invalid${{ A }}Row(id, err)
	}
{%- endif %}
	e, err := entity.Unmarshal${{ A }}FromDB(id, f, {% if values.hasStateMachine %}status, {% endif %}row.Version, sqlutil.FromTimestamptz(row.CreatedAt), sqlutil.FromTimestamptz(row.UpdatedAt))
	if err != nil {
		return nil, invalid${{ A }}Row(id, err)
	}
	return e, nil
}

// invalid${{ A }}Row reports a stored row the domain refuses (written by a
// migration, by hand or by another version of the service). It is the
// service's fault, not the caller's: CodeInternal whatever code the broken
// rule carries, so the client gets "internal error" while the logged cause
// names the row and the rule.
func invalid${{ A }}Row(id uuid.UUID, err error) error {
	return apperrors.WithHiddenCause(apperrors.CodeInternal, "internal error",
		fmt.Errorf("stored ${{ a }} %s breaks a domain rule: %w", id, err))
}
{%- if ',int?' in sig %}

func int8Ptr(v *int64) pgtype.Int8 {
	if v == nil {
		return pgtype.Int8{}
	}
	return sqlutil.Int8(*v)
}
{%- endif %}
{%- if ',bool?' in sig %}

func boolPtr(v *bool) pgtype.Bool {
	if v == nil {
		return pgtype.Bool{}
	}
	return sqlutil.Bool(*v)
}
{%- endif %}
{%- if hasMoney %}

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
{%- endif %}
