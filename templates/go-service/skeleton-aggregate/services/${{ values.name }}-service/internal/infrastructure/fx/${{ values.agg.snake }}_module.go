{%- set g = values.agg -%}
package fx

import (
	"go.uber.org/fx"

	grpchandler "${{ values.module }}/internal/adapter/inbound/grpc"
	"${{ values.module }}/internal/adapter/outbound/persistence"
	"${{ values.module }}/internal/application/usecase/${{ g.lower }}uc"
	"${{ values.module }}/internal/infrastructure/server"
)

// ${{ g.name }}Module wires the ${{ g.name }} aggregate (added with "Add an aggregate to
// a service"): its repository, its use cases (${{ g.lower }}uc's di.go) and its gRPC
// handler, registered on the server beside the service's other APIs. Module
// (module.go) includes it; server.MethodRoles holds the roles of its RPCs.
var ${{ g.name }}Module = fx.Options(
	fx.Provide(persistence.New${{ g.name }}Repository),
	${{ g.lower }}uc.Module(),
	fx.Provide(grpchandler.New${{ g.name }}Handler),
	fx.Invoke(func(srv *server.GRPCServer, h *grpchandler.${{ g.name }}Handler) {
		h.Register(srv.Server)
	}),
)
