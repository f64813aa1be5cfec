// Package grpc is the inbound gRPC adapter: it implements ledger.v1.AccountService
// by mapping protobuf messages to application DTOs and back. Errors are
// returned as they are; the shared error-mapping interceptor turns domain
// error codes into gRPC status codes.
package grpc

import (
	"context"

	"google.golang.org/grpc"

	commonv1 "github.com/acme/go-pkg/proto/common/v1"
	ledgerv1 "github.com/acme/go-pkg/proto/ledger/v1"

	"github.com/acme/ledger-service/internal/application/dto/request"
	"github.com/acme/ledger-service/internal/application/port/input"
	"github.com/acme/ledger-service/internal/application/service"
)

// AccountHandler serves AccountService.
type AccountHandler struct {
	ledgerv1.UnimplementedAccountServiceServer

	svc        service.AccountService
	create     input.CreateAccountUseCase
	remove     input.DeleteAccountUseCase
	transition input.TransitionAccountUseCase
}

func newAccountHandler(svc service.AccountService, create input.CreateAccountUseCase, remove input.DeleteAccountUseCase, transition input.TransitionAccountUseCase) *AccountHandler {
	if svc == nil || create == nil || remove == nil || transition == nil {
		panic("grpc: newAccountHandler needs every dependency")
	}
	return &AccountHandler{svc: svc, create: create, remove: remove, transition: transition}
}

// Register adds the handler to a gRPC server.
func (h *AccountHandler) Register(s grpc.ServiceRegistrar) {
	ledgerv1.RegisterAccountServiceServer(s, h)
}

// CreateAccount implements AccountService.
func (h *AccountHandler) CreateAccount(ctx context.Context, req *ledgerv1.CreateAccountRequest) (*ledgerv1.CreateAccountResponse, error) {
	in, err := toCreateRequest(req)
	if err != nil {
		return nil, err
	}
	out, err := h.create.Execute(ctx, in)
	if err != nil {
		return nil, err
	}
	return &ledgerv1.CreateAccountResponse{Account: toPB(out)}, nil
}

// GetAccount implements AccountService.
func (h *AccountHandler) GetAccount(ctx context.Context, req *ledgerv1.GetAccountRequest) (*ledgerv1.GetAccountResponse, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.svc.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return &ledgerv1.GetAccountResponse{Account: toPB(out)}, nil
}

// ListAccounts implements AccountService.
func (h *AccountHandler) ListAccounts(ctx context.Context, req *ledgerv1.ListAccountsRequest) (*ledgerv1.ListAccountsResponse, error) {
	page, err := h.svc.List(ctx, &request.ListAccounts{
		PageSize: int(req.GetPagination().GetPageSize()),
		Cursor:   req.GetPagination().GetCursor(),
	})
	if err != nil {
		return nil, err
	}
	resp := &ledgerv1.ListAccountsResponse{
		Pagination: &commonv1.CursorPaginationResponse{NextCursor: page.NextCursor, HasMore: page.HasMore},
	}
	for _, item := range page.Items {
		resp.Accounts = append(resp.Accounts, toPB(item))
	}
	return resp, nil
}

// UpdateAccount implements AccountService.
func (h *AccountHandler) UpdateAccount(ctx context.Context, req *ledgerv1.UpdateAccountRequest) (*ledgerv1.UpdateAccountResponse, error) {
	in, err := toUpdateRequest(req)
	if err != nil {
		return nil, err
	}
	out, err := h.svc.Update(ctx, in)
	if err != nil {
		return nil, err
	}
	return &ledgerv1.UpdateAccountResponse{Account: toPB(out)}, nil
}

// DeleteAccount implements AccountService.
func (h *AccountHandler) DeleteAccount(ctx context.Context, req *ledgerv1.DeleteAccountRequest) (*ledgerv1.DeleteAccountResponse, error) {
	in, err := toDeleteRequest(req)
	if err != nil {
		return nil, err
	}
	if err := h.remove.Execute(ctx, in); err != nil {
		return nil, err
	}
	return &ledgerv1.DeleteAccountResponse{}, nil
}

// FreezeAccount implements AccountService.
func (h *AccountHandler) FreezeAccount(ctx context.Context, req *ledgerv1.FreezeAccountRequest) (*ledgerv1.FreezeAccountResponse, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.transition.Execute(ctx, &request.TransitionAccount{ID: id, Transition: "freeze"})
	if err != nil {
		return nil, err
	}
	return &ledgerv1.FreezeAccountResponse{Account: toPB(out)}, nil
}

// UnfreezeAccount implements AccountService.
func (h *AccountHandler) UnfreezeAccount(ctx context.Context, req *ledgerv1.UnfreezeAccountRequest) (*ledgerv1.UnfreezeAccountResponse, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.transition.Execute(ctx, &request.TransitionAccount{ID: id, Transition: "unfreeze"})
	if err != nil {
		return nil, err
	}
	return &ledgerv1.UnfreezeAccountResponse{Account: toPB(out)}, nil
}

// CloseAccount implements AccountService.
func (h *AccountHandler) CloseAccount(ctx context.Context, req *ledgerv1.CloseAccountRequest) (*ledgerv1.CloseAccountResponse, error) {
	id, err := parseUUID("id", req.GetId())
	if err != nil {
		return nil, err
	}
	out, err := h.transition.Execute(ctx, &request.TransitionAccount{ID: id, Transition: "close"})
	if err != nil {
		return nil, err
	}
	return &ledgerv1.CloseAccountResponse{Account: toPB(out)}, nil
}
