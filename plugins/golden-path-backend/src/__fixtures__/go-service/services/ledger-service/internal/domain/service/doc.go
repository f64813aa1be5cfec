// Package service holds domain services: business rules that span several
// entities and need no infrastructure. ledger-service starts with one
// aggregate (Account), whose rules live on the entity itself; add a domain
// service here when a rule needs two aggregates, for example a pricing policy
// that reads Account and a second entity.
package service
