package server

import (
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	ledgerv1 "github.com/acme/go-pkg/proto/ledger/v1"
)

// The authorization interceptor denies a method missing from MethodRoles to
// every token, so a method added to the proto without a policy entry would be
// unreachable: every method of the service's proto package needs roles.
func TestMethodRolesCoverEveryMethod(t *testing.T) {
	pkg := ledgerv1.File_ledger_v1_ledger_service_proto.Package()
	methods := 0
	protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(f protoreflect.FileDescriptor) bool {
		for i := 0; i < f.Services().Len(); i++ {
			s := f.Services().Get(i)
			for j := 0; j < s.Methods().Len(); j++ {
				methods++
				full := "/" + string(s.FullName()) + "/" + string(s.Methods().Get(j).Name())
				if len(MethodRoles[full]) == 0 {
					t.Errorf("%s has no roles in MethodRoles: every call would be denied", full)
				}
			}
		}
		return true
	})
	if methods == 0 {
		t.Fatalf("no method of package %s is registered", pkg)
	}
}
