// Package proxy is the HTTP/JSON -> gRPC gateway: it exposes every unary
// method of the routed gRPC services as POST /<package>.<Service>/<Method>,
// converts the JSON body to the request message with protojson, invokes the
// backend and writes the response (or the mapped error) back as JSON.
//
// Method descriptors come from the backends' gRPC server reflection, so no
// generated gateway code is needed and a new RPC is reachable as soon as the
// service serving it is deployed. Services must register reflection
// (google.golang.org/grpc/reflection) on their gRPC server.
package proxy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Route sends every service whose full name starts with Package (a proto
// package such as "order.v1") to the gRPC backend at Target (host:port).
type Route struct {
	Package string
	Target  string
}

var packagePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// ParseRoutes parses "order.v1=localhost:50051,inventory.v1=localhost:50052".
func ParseRoutes(spec string) ([]Route, error) {
	var routes []Route
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		pkg, target, ok := strings.Cut(part, "=")
		pkg, target = strings.TrimSpace(pkg), strings.TrimSpace(target)
		if !ok || target == "" {
			return nil, fmt.Errorf("route %q: want <proto package>=<host:port>, for example order.v1=localhost:50051", part)
		}
		if !packagePattern.MatchString(pkg) {
			return nil, fmt.Errorf("route %q: %q is not a proto package name such as order.v1", part, pkg)
		}
		if seen[pkg] {
			return nil, fmt.Errorf("route %q: package %s is routed twice", part, pkg)
		}
		seen[pkg] = true
		routes = append(routes, Route{Package: pkg, Target: target})
	}
	if len(routes) == 0 {
		return nil, fmt.Errorf("no route; add one per service, for example order.v1=localhost:50051")
	}
	// Longest package first so "order.v1.admin" wins over "order.v1".
	sort.Slice(routes, func(i, j int) bool { return len(routes[i].Package) > len(routes[j].Package) })
	return routes, nil
}

// match returns the route serving the fully-qualified service name.
func match(routes []Route, service string) (Route, bool) {
	for _, r := range routes {
		if strings.HasPrefix(service, r.Package+".") {
			return r, true
		}
	}
	return Route{}, false
}
