// Package service holds domain services: business rules that span several
// entities and need no infrastructure. ${{ values.serviceName }} starts with one
// aggregate (${{ values.aggregate }}), whose rules live on the entity itself; add a domain
// service here when a rule needs two aggregates, for example a pricing policy
// that reads ${{ values.aggregate }} and a second entity.
package service
