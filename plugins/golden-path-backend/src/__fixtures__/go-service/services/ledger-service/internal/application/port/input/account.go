// Package input declares the input ports: the use cases the inbound adapters
// (gRPC handler) drive.
package input

import (
	"context"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/dto/response"
)

// CreateAccountUseCase creates an account.
type CreateAccountUseCase interface {
	Execute(ctx context.Context, req *request.CreateAccount) (*response.Account, error)
}

// DeleteAccountUseCase deletes an account at the version the caller read.
type DeleteAccountUseCase interface {
	Execute(ctx context.Context, req *request.DeleteAccount) error
}

// TransitionAccountUseCase applies one status transition (freeze, unfreeze, close).
type TransitionAccountUseCase interface {
	Execute(ctx context.Context, req *request.TransitionAccount) (*response.Account, error)
}
