// Package database opens the PostgreSQL pool and carries transactions in the
// context, so repositories run inside a use case's transaction without the
// application layer ever seeing pgx.
//
// Repositories call GetDBTX(ctx, pool) and pass the result to sqlc's New(db);
// use cases call TxManager.WithinTx to group repository calls atomically.
package database

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DBTX is what sqlc's generated code (pgx/v5 driver) needs: satisfied by
// *pgxpool.Pool and pgx.Tx.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Option configures the sessions of a pool made by NewPool.
type Option func(*pgxpool.Config)

// WithStatementTimeout sets PostgreSQL's statement_timeout on every
// connection: a statement running longer is cancelled by the server with
// SQLSTATE 57014, which MapError turns into context.DeadlineExceeded. 0 keeps
// the server's setting.
func WithStatementTimeout(d time.Duration) Option {
	return runtimeParam("statement_timeout", d)
}

// WithLockTimeout sets lock_timeout: a statement waiting longer for a row or
// table lock fails with SQLSTATE 55P03, which MapError turns into
// CodeAborted. 0 keeps the server's setting.
func WithLockTimeout(d time.Duration) Option {
	return runtimeParam("lock_timeout", d)
}

func runtimeParam(name string, d time.Duration) Option {
	return func(cfg *pgxpool.Config) {
		if d > 0 {
			// An integer is taken in milliseconds; round up so 1µs is not "off".
			cfg.ConnConfig.RuntimeParams[name] = strconv.FormatInt(max(1, (d+time.Millisecond-1).Milliseconds()), 10)
		}
	}
}

// NewPool parses url (postgres://user:pass@host:port/db?sslmode=disable and
// pool_max_conns and friends), applies opts, connects and pings the server.
func NewPool(ctx context.Context, url string, opts ...Option) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: parse url: %w", err)
	}
	for _, opt := range opts {
		opt(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: create pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: ping %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}

type txKey struct{}

// GetDBTX returns the transaction stored in ctx by TxManager.WithinTx, or the
// pool when ctx carries none.
func GetDBTX(ctx context.Context, pool *pgxpool.Pool) DBTX {
	if tx, ok := ctx.Value(txKey{}).(pgx.Tx); ok {
		return tx
	}
	return pool
}

// TxManager runs a function inside one database transaction.
type TxManager interface {
	// WithinTx commits when fn returns nil and rolls back when it returns an
	// error or panics. Nested calls join the outer transaction.
	WithinTx(ctx context.Context, fn func(ctx context.Context) error) error
}

type txManager struct {
	pool *pgxpool.Pool
}

// NewTxManager returns a TxManager over pool. It panics on a nil pool, a wiring
// error that must not reach production.
func NewTxManager(pool *pgxpool.Pool) TxManager {
	if pool == nil {
		panic("database: NewTxManager called with a nil pool")
	}
	return &txManager{pool: pool}
}

func (m *txManager) WithinTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if _, ok := ctx.Value(txKey{}).(pgx.Tx); ok {
		return fn(ctx)
	}
	tx, err := m.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("database: begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		if rbErr := tx.Rollback(context.WithoutCancel(ctx)); rbErr != nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
			return errors.Join(err, fmt.Errorf("database: rollback: %w", rbErr))
		}
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}
