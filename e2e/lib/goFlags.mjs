// GOFLAGS for every `go` the suites run on rendered code (a developer's own
// GOFLAGS are not applied). -trimpath: each suite renders its monorepo in a
// directory of its own, and each clone has its own test-results/; without it
// Go's build cache keys a package's compile by its directory, so the same
// generated package would be compiled again in every suite and every clone.
export const GOFLAGS = '-trimpath';
