// Package rabbitmq connects to RabbitMQ (amqp091-go), keeps the connection
// alive across broker restarts and propagates trace context and correlation
// ids through message headers, so a consumer's spans and logs join the
// publisher's trace.
//
// A Connection reconnects with exponential backoff when the broker closes it
// (NotifyClose) and re-declares the topology registered with Declare before it
// reports itself connected again. Publishers and consumers open their channels
// on the current connection and open new ones after a reconnect
// (NotifyChannelClose), so none of them has to be rebuilt by the service.
package rabbitmq

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// ErrNotConnected is returned while the connection is down (the broker
// restarting or unreachable); the operation can be retried after a reconnect.
var ErrNotConnected = errors.New("rabbitmq: not connected to the broker")

// ErrClosed is returned by operations on a Connection after Close.
var ErrClosed = errors.New("rabbitmq: connection closed")

// Config tunes a Connection; zero values take the defaults in parentheses.
type Config struct {
	// Name is the connection name shown in the management UI (the process name).
	Name string
	// MinBackoff and MaxBackoff bound the delay between reconnect attempts,
	// doubled per failed attempt with up to 20% jitter (100ms, 5s).
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// OnStateChange is called (from the reconnect goroutine) when the
	// connection goes down (err is the cause) or comes back (err is nil).
	OnStateChange func(connected bool, err error)
}

// Topology declares exchanges, queues and bindings on ch. It must be
// idempotent: it runs at Declare and again after every reconnect.
type Topology func(ch *amqp.Channel) error

// Connection owns one AMQP connection and replaces it when it breaks;
// publishers and consumers each open their own channels on it.
type Connection struct {
	url string
	cfg Config

	mu        sync.Mutex
	conn      *amqp.Connection // nil while reconnecting
	ready     chan struct{}    // closed while conn is usable
	topology  []Topology
	closed    bool
	done      chan struct{} // closed by Close
	supervise sync.WaitGroup
}

// Dial connects to rawURL (for example amqp://guest:guest@localhost:5672/)
// once and fails when that first attempt fails, so a misconfigured URL stops
// the service at start; afterwards the connection reconnects on its own
// until Close.
func Dial(rawURL string, cfg ...Config) (*Connection, error) {
	c := &Connection{url: rawURL, ready: make(chan struct{}), done: make(chan struct{})}
	if len(cfg) > 0 {
		c.cfg = cfg[0]
	}
	if c.cfg.MinBackoff <= 0 {
		c.cfg.MinBackoff = 100 * time.Millisecond
	}
	if c.cfg.MaxBackoff < c.cfg.MinBackoff {
		c.cfg.MaxBackoff = max(5*time.Second, c.cfg.MinBackoff)
	}
	conn, err := c.dial()
	if err != nil {
		return nil, fmt.Errorf("rabbitmq: dial %s: %w", redact(rawURL), err)
	}
	c.conn = conn
	close(c.ready)
	c.supervise.Add(1)
	go c.watch(conn)
	return c, nil
}

func (c *Connection) dial() (*amqp.Connection, error) {
	props := amqp.NewConnectionProperties()
	if c.cfg.Name != "" {
		props.SetClientConnectionName(c.cfg.Name)
	}
	return amqp.DialConfig(c.url, amqp.Config{Heartbeat: 10 * time.Second, Locale: "en_US", Properties: props})
}

// watch waits for conn to close and reconnects until Close.
func (c *Connection) watch(conn *amqp.Connection) {
	defer c.supervise.Done()
	for {
		closeErr := <-conn.NotifyClose(make(chan *amqp.Error, 1))
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return
		}
		c.conn = nil
		c.ready = make(chan struct{})
		c.mu.Unlock()
		var cause error = ErrNotConnected
		if closeErr != nil {
			cause = closeErr
		}
		c.notify(false, cause)

		next, ok := c.reconnect()
		if !ok {
			return
		}
		conn = next
		c.notify(true, nil)
	}
}

// reconnect dials with backoff and re-declares the topology; it returns false
// when Close was called meanwhile.
func (c *Connection) reconnect() (*amqp.Connection, bool) {
	delay := c.cfg.MinBackoff
	for {
		jitter := time.Duration(rand.Int64N(int64(delay)/5 + 1))
		select {
		case <-c.done:
			return nil, false
		case <-time.After(delay + jitter):
		}
		delay = min(2*delay, c.cfg.MaxBackoff)

		conn, err := c.dial()
		if err == nil {
			err = c.declareAll(conn)
			if err != nil {
				_ = conn.Close()
			}
		}
		if err != nil {
			c.notify(false, err)
			continue
		}
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			_ = conn.Close()
			return nil, false
		}
		c.conn = conn
		close(c.ready)
		c.mu.Unlock()
		return conn, true
	}
}

func (c *Connection) declareAll(conn *amqp.Connection) error {
	c.mu.Lock()
	topology := append([]Topology(nil), c.topology...)
	c.mu.Unlock()
	if len(topology) == 0 {
		return nil
	}
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("rabbitmq: open channel to declare topology: %w", err)
	}
	defer ch.Close()
	for _, declare := range topology {
		if err := declare(ch); err != nil {
			return fmt.Errorf("rabbitmq: declare topology: %w", err)
		}
	}
	return nil
}

func (c *Connection) notify(connected bool, err error) {
	if c.cfg.OnStateChange != nil {
		c.cfg.OnStateChange(connected, err)
	}
}

// Declare runs declare on a fresh channel now and again after every
// reconnect, so exchanges, queues and bindings exist whenever the connection
// reports itself connected (also after the broker lost its definitions).
func (c *Connection) Declare(declare Topology) error {
	ch, err := c.Channel(context.Background())
	if err != nil {
		return err
	}
	defer ch.Close()
	if err := declare(ch); err != nil {
		return fmt.Errorf("rabbitmq: declare topology: %w", err)
	}
	c.mu.Lock()
	c.topology = append(c.topology, declare)
	c.mu.Unlock()
	return nil
}

// Redeclare runs every declared topology again on the current connection,
// for example after a consumer found its queue deleted.
func (c *Connection) Redeclare(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	conn, err := c.current()
	if err != nil {
		return err
	}
	return c.declareAll(conn)
}

// current returns the live connection and the channel closed while it is
// usable, or ErrNotConnected / ErrClosed.
func (c *Connection) current() (*amqp.Connection, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, ErrClosed
	case c.conn == nil || c.conn.IsClosed():
		return nil, ErrNotConnected
	}
	return c.conn, nil
}

// Connected reports whether the broker is reachable right now.
func (c *Connection) Connected() bool {
	_, err := c.current()
	return err == nil
}

// WaitConnected blocks until the connection is up, ctx ends or Close is called.
func (c *Connection) WaitConnected(ctx context.Context) error {
	for {
		c.mu.Lock()
		ready, closed := c.ready, c.closed
		c.mu.Unlock()
		if closed {
			return ErrClosed
		}
		select {
		case <-ready:
			if _, err := c.current(); !errors.Is(err, ErrNotConnected) {
				return err
			}
			// Closed by the broker but not yet noticed by watch: wait for the
			// next ready channel.
			select {
			case <-time.After(10 * time.Millisecond):
			case <-ctx.Done():
				return ctx.Err()
			}
		case <-c.done:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Channel opens a new channel on the current connection; it fails with
// ErrNotConnected while reconnecting (ctx is only used to give up early).
func (c *Connection) Channel(ctx context.Context) (*amqp.Channel, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := c.current()
	if err != nil {
		return nil, err
	}
	ch, err := conn.Channel()
	if err != nil {
		if conn.IsClosed() {
			return nil, fmt.Errorf("%w: %w", ErrNotConnected, err)
		}
		return nil, fmt.Errorf("rabbitmq: open channel: %w", err)
	}
	return ch, nil
}

// Close stops reconnecting and closes the connection and every channel on it.
func (c *Connection) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	conn := c.conn
	close(c.done)
	c.mu.Unlock()
	var err error
	if conn != nil {
		if cerr := conn.Close(); cerr != nil && !errors.Is(cerr, amqp.ErrClosed) {
			err = fmt.Errorf("rabbitmq: close: %w", cerr)
		}
	}
	c.supervise.Wait()
	return err
}

// redact drops the password from an AMQP URL for error messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
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
