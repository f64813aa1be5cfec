package fx

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/mq/rabbitmq"
	"${{ values.pkgModule }}/outbox"

	"${{ values.module }}/internal/adapter/inbound/consumer"
	"${{ values.module }}/internal/adapter/outbound/publisher"
	"${{ values.module }}/internal/infrastructure/config"
	"${{ values.module }}/sqlcgen"
)

// MessagingModule connects to RabbitMQ, declares the topology, runs the
// outbox poller (outbox -> events exchange) and the command consumer, and
// exports the outbox backlog as metrics.
var MessagingModule = fx.Options(
	fx.Provide(newRabbitMQ),
	fx.Invoke(runOutboxPoller),
	fx.Invoke(runCommandConsumer),
	fx.Invoke(registerOutboxMetrics),
)

func newRabbitMQ(lc fx.Lifecycle, cfg *config.Config) (*rabbitmq.Connection, error) {
	conn, err := rabbitmq.Dial(cfg.RabbitMQ.URL)
	if err != nil {
		return nil, err
	}
	if err := declareTopology(conn, cfg.RabbitMQ); err != nil {
		_ = conn.Close()
		return nil, err
	}
	lc.Append(fx.StopHook(conn.Close))
	return conn, nil
}

// declareTopology declares the durable events exchange (topic, routing key =
// event type) and the command queue, whose rejected messages go to
// <queue>.dead through the default exchange.
func declareTopology(conn *rabbitmq.Connection, cfg config.RabbitMQConfig) error {
	ch, err := conn.Channel()
	if err != nil {
		return err
	}
	defer ch.Close()
	if err := ch.ExchangeDeclare(cfg.EventsExchange, amqp.ExchangeTopic, true, false, false, false, nil); err != nil {
		return fmt.Errorf("declare exchange %s: %w", cfg.EventsExchange, err)
	}
	dead := cfg.CommandsQueue + ".dead"
	if _, err := ch.QueueDeclare(dead, true, false, false, false, nil); err != nil {
		return fmt.Errorf("declare queue %s: %w", dead, err)
	}
	args := amqp.Table{"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead}
	if _, err := ch.QueueDeclare(cfg.CommandsQueue, true, false, false, false, args); err != nil {
		return fmt.Errorf("declare queue %s: %w", cfg.CommandsQueue, err)
	}
	return nil
}

// background runs fn until the application stops.
func background(lc fx.Lifecycle, fn func(ctx context.Context), stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				fn(ctx)
			}()
			return nil
		},
		OnStop: func(stopCtx context.Context) error {
			cancel()
			select {
			case <-done:
			case <-stopCtx.Done():
				return stopCtx.Err()
			}
			if stop != nil {
				stop()
			}
			return nil
		},
	})
}

func runOutboxPoller(lc fx.Lifecycle, conn *rabbitmq.Connection, pool *pgxpool.Pool, cfg *config.Config, logger *zap.Logger) error {
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		return err
	}
	poller, err := outbox.NewPoller(pool, publisher.NewBrokerPublisher(pub, cfg.RabbitMQ.EventsExchange), outbox.PollerConfig{
		OnError: func(err error) { logger.Warn("outbox round failed", zap.Error(err)) },
	})
	if err != nil {
		return err
	}
	background(lc, func(ctx context.Context) { _ = poller.Run(ctx) }, func() { _ = pub.Close() })
	return nil
}

func runCommandConsumer(lc fx.Lifecycle, conn *rabbitmq.Connection, h *consumer.CommandHandler, cfg *config.Config, logger *zap.Logger) error {
	c, err := rabbitmq.NewConsumer(conn, cfg.RabbitMQ.CommandsQueue, 16)
	if err != nil {
		return err
	}
	background(lc, func(ctx context.Context) {
		if err := c.Run(ctx, h.Handle); err != nil {
			logger.Error("command consumer stopped", zap.Error(err))
		}
	}, func() { _ = c.Close() })
	return nil
}

func registerOutboxMetrics(reg *prometheus.Registry, pool *pgxpool.Pool) error {
	count := func(q func(*sqlcgen.Queries, context.Context) (int64, error)) func() float64 {
		return func() float64 {
			n, err := q(sqlcgen.New(pool), context.Background())
			if err != nil {
				return -1
			}
			return float64(n)
		}
	}
	for _, c := range []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "outbox_backlog_events", Help: "Outbox events waiting to be published."},
			count((*sqlcgen.Queries).CountOutboxBacklog)),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "outbox_failed_events", Help: "Outbox events that exhausted their publish attempts."},
			count((*sqlcgen.Queries).CountFailedOutboxEvents)),
	} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
