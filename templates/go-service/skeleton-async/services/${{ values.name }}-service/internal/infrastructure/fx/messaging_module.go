package fx

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"${{ values.pkgModule }}/mq/rabbitmq"
	"${{ values.pkgModule }}/outbox"

	"${{ values.module }}/internal/adapter/inbound/consumer"
	"${{ values.module }}/internal/adapter/outbound/publisher"
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/infrastructure/config"
	"${{ values.module }}/sqlcgen"
)

// MessagingModule connects to RabbitMQ (reconnecting after a broker restart,
// topology declared again each time), runs the outbox poller (outbox ->
// events exchange) and the command consumer, adds the broker to the readiness
// checks (dependency_health.go), forgets old processed-message ids and exports
// the outbox backlog as metrics.
var MessagingModule = fx.Options(
	fx.Provide(config.LoadMessaging),
	fx.Provide(newRabbitMQ),
	fx.Invoke(runOutboxPoller),
	fx.Invoke(runCommandConsumer),
	fx.Provide(fx.Annotate(newBrokerCheck, fx.ResultTags(`group:"readiness"`))),
	fx.Invoke(runProcessedMessagesCleanup),
	fx.Invoke(registerOutboxMetrics),
)

func newRabbitMQ(lc fx.Lifecycle, cfg *config.Config, mcfg *config.MessagingConfig, logger *zap.Logger) (*rabbitmq.Connection, error) {
	conn, err := rabbitmq.Dial(cfg.RabbitMQ.URL, rabbitmq.Config{
		Name: config.ServiceName,
		OnStateChange: func(connected bool, err error) {
			if connected {
				logger.Info("RabbitMQ connection restored, topology declared")
			} else {
				logger.Warn("RabbitMQ connection down, reconnecting", zap.Error(err))
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("%w (set RABBITMQ_URL)", err)
	}
	if err := conn.Declare(topology(cfg.RabbitMQ, mcfg)); err != nil {
		_ = conn.Close()
		return nil, err
	}
	lc.Append(fx.StopHook(conn.Close))
	return conn, nil
}

// topology declares the durable events exchange (topic, routing key = event
// type) and the command queue with its retry queue (<queue>.retry, a delay of
// COMMAND_RETRY_DELAY) and dead-letter queue (<queue>.dead).
func topology(cfg config.RabbitMQConfig, mcfg *config.MessagingConfig) rabbitmq.Topology {
	commands := rabbitmq.WorkQueue(cfg.CommandsQueue, mcfg.RetryDelay)
	return func(ch *amqp.Channel) error {
		if err := ch.ExchangeDeclare(cfg.EventsExchange, amqp.ExchangeTopic, true, false, false, false, nil); err != nil {
			return fmt.Errorf("declare exchange %s: %w", cfg.EventsExchange, err)
		}
		return commands(ch)
	}
}

func runOutboxPoller(lc fx.Lifecycle, conn *rabbitmq.Connection, pool *pgxpool.Pool, cfg *config.Config, mcfg *config.MessagingConfig, logger *zap.Logger) error {
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		return err
	}
	poller, err := outbox.NewPoller(pool, publisher.NewBrokerPublisher(pub, cfg.RabbitMQ.EventsExchange), outbox.PollerConfig{
		Interval: mcfg.OutboxInterval,
		Ready:    conn.Connected,
		OnError:  func(err error) { logger.Warn("outbox round failed", zap.Error(err)) },
	})
	if err != nil {
		return err
	}
	background(lc, func(ctx context.Context) { _ = poller.Run(ctx) }, func() { _ = pub.Close() })
	return nil
}

func runCommandConsumer(lc fx.Lifecycle, conn *rabbitmq.Connection, h *consumer.CommandHandler, cfg *config.Config, mcfg *config.MessagingConfig, logger *zap.Logger) error {
	c, err := rabbitmq.NewConsumer(conn, rabbitmq.ConsumerConfig{
		Queue:      cfg.RabbitMQ.CommandsQueue,
		Prefetch:   mcfg.Prefetch,
		MaxRetries: mcfg.MaxRetries,
		OnError:    func(err error) { logger.Warn("command consumer", zap.Error(err)) },
	})
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

// runProcessedMessagesCleanup forgets processed-message ids older than
// PROCESSED_MESSAGES_RETENTION, hourly: a redelivery comes within minutes,
// not days.
func runProcessedMessagesCleanup(lc fx.Lifecycle, inbox output.ProcessedMessages, mcfg *config.MessagingConfig, logger *zap.Logger) {
	background(lc, func(ctx context.Context) {
		for {
			n, err := inbox.DeleteBefore(ctx, time.Now().Add(-mcfg.ProcessedRetention))
			switch {
			case err != nil && ctx.Err() == nil:
				logger.Warn("processed messages cleanup failed", zap.Error(err))
			case n > 0:
				logger.Info("processed messages forgotten", zap.Int64("count", n))
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Hour):
			}
		}
	}, nil)
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
