{%- set A = values.aggregate -%}
{%- set a = values.aggSnake | replace('_', ' ') -%}
package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.uber.org/fx"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"${{ values.pkgModule }}/mq/rabbitmq"

	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
	appfx "${{ values.module }}/internal/infrastructure/fx"
	"${{ values.module }}/tests/testdb"
	"${{ values.module }}/tests/testport"
)

// Bounds of the broker restart test.
const (
	outageNoticedWithin  = 10 * time.Second // health NOT_SERVING after the broker stopped
	recoveryWithin       = 30 * time.Second // health SERVING after the broker started
	everythingDoneWithin = 60 * time.Second // every event delivered, every command applied
)

// rabbitmqctl returns the command that controls the broker, from
// TEST_RABBITMQCTL (for example "rabbitmqctl" or "docker compose exec -T
// rabbitmq rabbitmqctl"), or skips: stopping the broker disturbs everything
// else that uses it, so the test only runs when asked to.
func rabbitmqctl(t *testing.T) func(args ...string) {
	t.Helper()
	ctl := strings.Fields(os.Getenv("TEST_RABBITMQCTL"))
	if len(ctl) == 0 {
		t.Skip("set TEST_RABBITMQCTL (e.g. rabbitmqctl) to run the broker restart test; it stops the broker others may be using")
	}
	return func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, ctl[0], append(ctl[1:], args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s", strings.Join(ctl, " "), strings.Join(args, " "), err, out)
		}
	}
}

// TestBrokerRestartWhileEventsFlow runs the whole service (the Fx graph of
// cmd/main.go) while ${{ values.aggPlural | lower }} are created and delete commands are sent, and
// stops the broker (rabbitmqctl stop_app) and starts it again meanwhile:
// health goes NOT_SERVING during the outage and SERVING after; no event is
// lost (each reaches a subscriber's queue), none fails; each command is
// applied exactly once although each is sent twice; all within the bounds
// above.
func TestBrokerRestartWhileEventsFlow(t *testing.T) {
	ctl := rabbitmqctl(t)
	pool, dbURL := testdb.New(t)
	suffix := uuid.NewString()[:8]
	exchange := "${{ values.name }}-restart-test-" + suffix + ".events"
	queue := "${{ values.serviceName }}-restart-test-" + suffix + ".commands"
	// The test's own side of the broker: a subscriber queue on the events
	// exchange and a command sender, both reconnecting.
	conn, err := rabbitmq.Dial(rabbitURL(t), rabbitmq.Config{MaxBackoff: 500 * time.Millisecond})
	if err != nil {
		t.Fatalf("connect to RabbitMQ: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	subscriber := "${{ values.serviceName }}-restart-test-" + suffix + ".subscriber"
	if err := conn.Declare(func(ch *amqp.Channel) error {
		if err := ch.ExchangeDeclare(exchange, amqp.ExchangeTopic, true, false, false, false, nil); err != nil {
			return err
		}
		if _, err := ch.QueueDeclare(subscriber, true, false, false, false, nil); err != nil {
			return err
		}
		return ch.QueueBind(subscriber, "#", exchange, false, nil)
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ch, err := conn.Channel(context.Background())
		if err != nil {
			return
		}
		defer ch.Close()
		for _, q := range []string{subscriber, queue, rabbitmq.RetryQueue(queue), rabbitmq.DeadLetterQueue(queue)} {
			_, _ = ch.QueueDelete(q, false, false, false)
		}
		_ = ch.ExchangeDelete(exchange, false, false)
	})

	create, waitHealth := startService(t, dbURL, exchange, queue)
	waitHealth(healthpb.HealthCheckResponse_SERVING, 10*time.Second)

	// Events received by the subscriber, by message id.
	var mu sync.Mutex
	received := map[string]int{}
	sub, err := rabbitmq.NewConsumer(conn, rabbitmq.ConsumerConfig{Queue: subscriber, Prefetch: 64})
	if err != nil {
		t.Fatal(err)
	}
	subCtx, stopSub := context.WithCancel(context.Background())
	subDone := make(chan error, 1)
	go func() {
		subDone <- sub.Run(subCtx, func(_ context.Context, d amqp.Delivery) error {
			mu.Lock()
			defer mu.Unlock()
			received[d.MessageId]++
			return nil
		})
	}()
	t.Cleanup(func() {
		stopSub()
		if err := <-subDone; err != nil {
			t.Errorf("subscriber: %v", err)
		}
		_ = sub.Close()
	})

	// Commands: each sent twice (same message id), retried while the broker is down.
	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pub.Close() })
	commands := make(chan uuid.UUID, 1000)
	sendersDone := make(chan struct{})
	go func() {
		defer close(sendersDone)
		for id := range commands {
			body, _ := json.Marshal(map[string]string{"id": id.String()})
			for range 2 {
				for {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					err := pub.Publish(ctx, "", queue, rabbitmq.Message{ID: "delete-" + id.String(), Type: "${{ values.aggSnake }}.delete", Body: body})
					cancel()
					if err == nil {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}
	}()

	// Producer: one ${{ a }} every 20ms; every third one is deleted by command.
	var created, commanded []uuid.UUID
	stopProducing := make(chan struct{})
	producerDone := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stopProducing:
				close(commands)
				producerDone <- nil
				return
			case <-time.After(20 * time.Millisecond):
			}
			r, err := create.Execute(context.Background(), &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
			if err != nil {
				close(commands)
				producerDone <- fmt.Errorf("create %d: %w", i, err)
				return
			}
			mu.Lock()
			created = append(created, r.ID)
			if i%3 == 0 {
				commanded = append(commanded, r.ID)
				commands <- r.ID
			}
			mu.Unlock()
		}
	}()

	time.Sleep(time.Second)
	t.Cleanup(func() { ctl("start_app") }) // whatever happens, the broker comes back
	brokerStopped := time.Now()
	ctl("stop_app")
	down := waitHealth(healthpb.HealthCheckResponse_NOT_SERVING, outageNoticedWithin)
	t.Logf("stop_app took %s; health NOT_SERVING %s after it returned", time.Since(brokerStopped)-down, down.Round(time.Millisecond))
	time.Sleep(2 * time.Second) // ${{ values.aggPlural | lower }} keep being created during the outage
	brokerStarted := time.Now()
	ctl("start_app")
	up := waitHealth(healthpb.HealthCheckResponse_SERVING, recoveryWithin)
	t.Logf("start_app took %s; health SERVING %s after it returned", time.Since(brokerStarted)-up, up.Round(time.Millisecond))
	time.Sleep(time.Second)
	close(stopProducing)
	if err := <-producerDone; err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(everythingDoneWithin)
	ctx := context.Background()
	for {
		var unpublished, failed, deletedAggregates int
		if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status <> 'published'), count(*) FILTER (WHERE status = 'failed'),
			count(*) FILTER (WHERE event_type = '${{ values.aggSnake }}.deleted') FROM outbox_events`).Scan(&unpublished, &failed, &deletedAggregates); err != nil {
			t.Fatal(err)
		}
		if failed > 0 {
			t.Fatalf("%d outbox events failed", failed)
		}
		var ids []string
		if err := pool.QueryRow(ctx, `SELECT coalesce(array_agg(id::text), '{}') FROM outbox_events`).Scan(&ids); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		missing := 0
		for _, id := range ids {
			if received[id] == 0 {
				missing++
			}
		}
		nCommanded := len(commanded)
		mu.Unlock()
		if unpublished == 0 && missing == 0 && deletedAggregates == nCommanded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not done within %s: %d events unpublished, %d of %d not received, %d of %d commands applied",
				everythingDoneWithin, unpublished, missing, len(ids), deletedAggregates, nCommanded)
		}
		time.Sleep(100 * time.Millisecond)
	}
	<-sendersDone

	mu.Lock()
	defer mu.Unlock()
	duplicates := 0
	for _, n := range received {
		if n > 1 {
			duplicates++
		}
	}
	// Each command applied once: one Deleted event per commanded ${{ a }}, one
	// processed message each, the ${{ a }} gone, nothing dead-lettered.
	rows, err := pool.Query(ctx, `SELECT aggregate_id, count(*) FROM outbox_events WHERE event_type = '${{ values.aggSnake }}.deleted' GROUP BY aggregate_id`)
	if err != nil {
		t.Fatal(err)
	}
	deleted := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		deleted[id] = n
	}
	rows.Close()
	for _, id := range commanded {
		if deleted[id.String()] != 1 {
			t.Errorf("${{ a }} %s deleted %d times, want 1", id, deleted[id.String()])
		}
	}
	var processed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM processed_messages`).Scan(&processed); err != nil || processed != len(commanded) {
		t.Errorf("processed_messages holds %d ids (%v), want %d", processed, err, len(commanded))
	}
	ch, err := conn.Channel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if q, err := ch.QueueDeclarePassive(rabbitmq.DeadLetterQueue(queue), true, false, false, false, nil); err != nil || q.Messages != 0 {
		t.Errorf("dead-letter queue: %d messages (%v), want 0", q.Messages, err)
	}
	t.Logf("%d ${{ values.aggPlural | lower }} created, %d events delivered (%d delivered more than once, at-least-once), %d commands sent twice and applied once",
		len(created), len(received), duplicates, len(commanded))
}

// startService runs the whole service (the Fx graph of cmd/main.go) on a free
// port with fast messaging intervals, and returns its create use case and a
// function waiting (at most within) for a health status.
func startService(t *testing.T, dbURL, exchange, queue string) (input.Create${{ A }}UseCase, func(healthpb.HealthCheckResponse_ServingStatus, time.Duration) time.Duration) {
	t.Helper()
	port := testport.Free(t)
	for k, v := range map[string]string{
		"DATABASE_URL": dbURL, "GRPC_PORT": strconv.Itoa(port), "JWT_SECRET": strings.Repeat("restart-test-secret-", 3),
		"METRICS_PORT": "0", "OTEL_EXPORTER_OTLP_ENDPOINT": "", "LOG_LEVEL": "warn", "SHUTDOWN_DRAIN_DELAY": "0s",
		"RABBITMQ_URL": rabbitURL(t), "EVENTS_EXCHANGE": exchange, "COMMANDS_QUEUE": queue,
		"HEALTH_CHECK_INTERVAL": "100ms", "OUTBOX_POLL_INTERVAL": "50ms", "COMMAND_RETRY_DELAY": "200ms",
	} {
		t.Setenv(k, v)
	}

	var create input.Create${{ A }}UseCase
	app := fx.New(appfx.Module, fx.Populate(&create), fx.NopLogger)
	startCtx, cancelStart := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelStart()
	if err := app.Start(startCtx); err != nil {
		t.Fatalf("start the service: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			t.Errorf("stop the service: %v", err)
		}
	})

	client, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	health := healthpb.NewHealthClient(client)
	waitHealth := func(want healthpb.HealthCheckResponse_ServingStatus, within time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			r, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
			cancel()
			if err == nil && r.GetStatus() == want {
				return time.Since(start)
			}
			if time.Since(start) > within {
				t.Fatalf("health not %s within %s (last: %v, %v)", want, within, r.GetStatus(), err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return create, waitHealth
}
