package server

// Server is the gRPC server.
type Server struct{}
