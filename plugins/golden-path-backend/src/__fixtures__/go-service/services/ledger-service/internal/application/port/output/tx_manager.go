// Package output declares the output ports: what the application layer needs
// from the outside world. Adapters and infrastructure implement them; the
// application never imports those packages.
package output

import "context"

// TxManager runs fn inside one database transaction. Repositories called with
// the context fn receives join that transaction; an error or a panic rolls it back.
type TxManager interface {
	WithinTx(ctx context.Context, fn func(ctx context.Context) error) error
}
