package fx

import (
	"context"
	"errors"

	"${{ values.pkgModule }}/mq/rabbitmq"
)

// newBrokerCheck adds the RabbitMQ connection to the readiness checks
// (HealthModule, health_module.go, which also pings the database): while the
// connection is down and reconnecting, the replica can neither publish its
// outbox nor consume commands, so load balancers and readiness probes route
// around it. Liveness does not follow it: a broker restart must not restart
// the pods.
func newBrokerCheck(conn *rabbitmq.Connection) ReadinessCheck {
	return ReadinessCheck{Name: "rabbitmq", Check: func(context.Context) error {
		if !conn.Connected() {
			return errors.New("connection down, reconnecting")
		}
		return nil
	}}
}
