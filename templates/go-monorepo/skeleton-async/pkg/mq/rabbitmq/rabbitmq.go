// Package rabbitmq connects to RabbitMQ (amqp091-go) and propagates trace
// context and correlation ids through message headers, so a consumer's spans
// and logs join the publisher's trace.
package rabbitmq

import (
	"errors"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Connection owns one AMQP connection; publishers and consumers each open
// their own channel on it.
type Connection struct {
	conn *amqp.Connection
}

// Dial connects to url, for example amqp://guest:guest@localhost:5672/.
func Dial(url string) (*Connection, error) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return nil, fmt.Errorf("rabbitmq: dial: %w", err)
	}
	return &Connection{conn: conn}, nil
}

// Channel opens a new channel.
func (c *Connection) Channel() (*amqp.Channel, error) {
	ch, err := c.conn.Channel()
	if err != nil {
		return nil, fmt.Errorf("rabbitmq: open channel: %w", err)
	}
	return ch, nil
}

// NotifyClose returns a channel receiving the error that closes the
// connection, so the service can exit (and be restarted) or reconnect.
func (c *Connection) NotifyClose() <-chan *amqp.Error {
	return c.conn.NotifyClose(make(chan *amqp.Error, 1))
}

// Close closes the connection and every channel on it.
func (c *Connection) Close() error {
	if err := c.conn.Close(); err != nil && !errors.Is(err, amqp.ErrClosed) {
		return fmt.Errorf("rabbitmq: close: %w", err)
	}
	return nil
}

// headerCarrier adapts amqp.Table to OpenTelemetry's TextMapCarrier.
type headerCarrier amqp.Table

func (h headerCarrier) Get(key string) string {
	if v, ok := h[key].(string); ok {
		return v
	}
	return ""
}

func (h headerCarrier) Set(key, value string) { h[key] = value }

func (h headerCarrier) Keys() []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	return keys
}
