package proxy

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"google.golang.org/grpc"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// resolver fetches service descriptors over server reflection and caches them
// for ttl, so redeployed services with new methods are picked up.
type resolver struct {
	ttl   time.Duration
	mu    sync.Mutex
	cache map[string]cachedService
}

type cachedService struct {
	desc    protoreflect.ServiceDescriptor
	expires time.Time
}

func newResolver(ttl time.Duration) *resolver {
	return &resolver{ttl: ttl, cache: map[string]cachedService{}}
}

func (r *resolver) service(ctx context.Context, conn grpc.ClientConnInterface, name string) (protoreflect.ServiceDescriptor, error) {
	r.mu.Lock()
	c, ok := r.cache[name]
	r.mu.Unlock()
	if ok && time.Now().Before(c.expires) {
		return c.desc, nil
	}
	desc, err := fetchService(ctx, conn, name)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.cache[name] = cachedService{desc: desc, expires: time.Now().Add(r.ttl)}
	r.mu.Unlock()
	return desc, nil
}

// fetchService asks the backend for the file defining service and every file
// it depends on, then builds a descriptor registry from them.
func fetchService(ctx context.Context, conn grpc.ClientConnInterface, service string) (protoreflect.ServiceDescriptor, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, fmt.Errorf("open reflection stream: %w", err)
	}
	defer func() { _ = stream.CloseSend() }()

	files := map[string]*descriptorpb.FileDescriptorProto{}
	ask := func(req *reflectionpb.ServerReflectionRequest) error {
		if err := stream.Send(req); err != nil {
			return fmt.Errorf("reflection send: %w", err)
		}
		resp, err := stream.Recv()
		if err == io.EOF {
			return fmt.Errorf("reflection stream closed by server")
		}
		if err != nil {
			return fmt.Errorf("reflection receive: %w", err)
		}
		if e := resp.GetErrorResponse(); e != nil {
			return fmt.Errorf("reflection: %s (code %d)", e.GetErrorMessage(), e.GetErrorCode())
		}
		for _, raw := range resp.GetFileDescriptorResponse().GetFileDescriptorProto() {
			fd := &descriptorpb.FileDescriptorProto{}
			if err := proto.Unmarshal(raw, fd); err != nil {
				return fmt.Errorf("decode file descriptor: %w", err)
			}
			files[fd.GetName()] = fd
		}
		return nil
	}
	if err := ask(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: service},
	}); err != nil {
		return nil, fmt.Errorf("service %s: %w", service, err)
	}
	// Servers may omit dependencies they already sent on this stream; fetch
	// whatever is still missing by file name.
	for missing := missingDeps(files); len(missing) > 0; missing = missingDeps(files) {
		for _, name := range missing {
			if err := ask(&reflectionpb.ServerReflectionRequest{
				MessageRequest: &reflectionpb.ServerReflectionRequest_FileByFilename{FileByFilename: name},
			}); err != nil {
				return nil, fmt.Errorf("dependency %s: %w", name, err)
			}
			if _, ok := files[name]; !ok {
				return nil, fmt.Errorf("dependency %s: not returned by reflection", name)
			}
		}
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, fd := range files {
		set.File = append(set.File, fd)
	}
	reg, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, fmt.Errorf("build descriptors for %s: %w", service, err)
	}
	d, err := reg.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", service, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("%s is not a service", service)
	}
	return sd, nil
}

func missingDeps(files map[string]*descriptorpb.FileDescriptorProto) []string {
	var missing []string
	for _, fd := range files {
		for _, dep := range fd.GetDependency() {
			if _, ok := files[dep]; !ok {
				missing = append(missing, dep)
			}
		}
	}
	return missing
}
