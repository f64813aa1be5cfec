{%- set A = values.aggregate -%}
{%- set fromInitial = [] %}{% for t in values.transitions %}{% if t.from == values.states[0] %}{% set _ = fromInitial.push(t) %}{% endif %}{% endfor -%}
package integration

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	amqp "github.com/rabbitmq/amqp091-go"

	"${{ values.pkgModule }}/mq/rabbitmq"
	"${{ values.pkgModule }}/outbox"

	"${{ values.module }}/internal/adapter/outbound/publisher"
	"${{ values.module }}/internal/application/dto/request"
)

func rabbitURL(t *testing.T) string {
	t.Helper()
	if os.Getenv("GOLDEN_PATH_NO_MQ") == "1" {
		t.Skip("GOLDEN_PATH_NO_MQ=1: skipping RabbitMQ test")
	}
	if u := os.Getenv("TEST_RABBITMQ_URL"); u != "" {
		return u
	}
	return "amqp://guest:guest@127.0.0.1:5672/"
}

// TestCreateWritesOutboxAndPollerPublishes checks the transactional outbox end
// to end: the Created event is stored with the ${{ values.aggSnake | replace('_', ' ') }}, and the poller
// delivers it to the events exchange.
func TestCreateWritesOutboxAndPollerPublishes(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := newApp(t)
	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	var eventType string
	if err := a.pool.QueryRow(ctx, `SELECT event_type FROM outbox_events WHERE aggregate_id = $1`, created.ID.String()).Scan(&eventType); err != nil {
		t.Fatalf("outbox row of %s: %v", created.ID, err)
	}
	if eventType != "${{ values.aggSnake }}.created" {
		t.Errorf("event_type = %q, want ${{ values.aggSnake }}.created", eventType)
	}

	conn, err := rabbitmq.Dial(rabbitURL(t))
	if err != nil {
		t.Fatalf("connect to RabbitMQ (set TEST_RABBITMQ_URL, or GOLDEN_PATH_NO_MQ=1 to skip): %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	exchange := "${{ values.name }}-test-" + uuid.NewString()
	if err := ch.ExchangeDeclare(exchange, amqp.ExchangeTopic, false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	q, err := ch.QueueDeclare("", false, true, true, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.QueueBind(q.Name, "#", exchange, false, nil); err != nil {
		t.Fatal(err)
	}
	deliveries, err := ch.Consume(q.Name, "", true, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}

	pub, err := rabbitmq.NewPublisher(conn)
	if err != nil {
		t.Fatal(err)
	}
	poller, err := outbox.NewPoller(a.pool, publisher.NewBrokerPublisher(pub, exchange), outbox.PollerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := poller.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("poller claimed %d events: %v", n, err)
	}
	select {
	case d := <-deliveries:
		var body struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(d.Body, &body); err != nil || d.Type != "${{ values.aggSnake }}.created" || body.ID != created.ID.String() {
			t.Errorf("delivery type %q body %s (%v), want ${{ values.aggSnake }}.created of %s", d.Type, d.Body, err, created.ID)
		}
	case <-ctx.Done():
		t.Fatal("no message on the events exchange")
	}
	var status string
	if err := a.pool.QueryRow(ctx, `SELECT status FROM outbox_events WHERE aggregate_id = $1`, created.ID.String()).Scan(&status); err != nil || status != outbox.StatusPublished {
		t.Errorf("outbox status = %q (%v), want published", status, err)
	}
}

// TestCommandConsumer runs commands through the consumer's handler: a valid
// one changes the ${{ values.aggSnake | replace('_', ' ') }}, a repeated or stale one is acknowledged
// without effect, a malformed one is rejected (dead-lettered).
func TestCommandConsumer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := newApp(t)
	created, err := a.create.Execute(ctx, &request.Create${{ A }}{${{ A }}Fields: sampleFields()})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"id": created.ID.String()})
{%- if fromInitial | length %}
	cmd := amqp.Delivery{Type: "${{ values.aggSnake }}.${{ fromInitial[0].name }}", Body: body}
	if err := a.commands.Handle(ctx, cmd); err != nil {
		t.Fatalf("${{ fromInitial[0].name }} command: %v", err)
	}
	if got, err := a.svc.Get(ctx, created.ID); err != nil || got.Status != "${{ fromInitial[0].to }}" {
		t.Errorf("after the command: %+v, %v; want status ${{ fromInitial[0].to }}", got, err)
	}
	if err := a.commands.Handle(ctx, cmd); err != nil {
		t.Errorf("repeated command: %v, want it acknowledged", err)
	}
{%- endif %}
	if err := a.commands.Handle(ctx, amqp.Delivery{Type: "${{ values.aggSnake }}.delete", Body: body}); err != nil {
		t.Fatalf("delete command: %v", err)
	}
	if err := a.commands.Handle(ctx, amqp.Delivery{Type: "${{ values.aggSnake }}.delete", Body: body}); err != nil {
		t.Errorf("delete of a deleted ${{ values.aggSnake | replace('_', ' ') }}: %v, want it acknowledged", err)
	}
	if err := a.commands.Handle(ctx, amqp.Delivery{Type: "${{ values.aggSnake }}.delete", Body: []byte(`{"id":"x"}`)}); err == nil {
		t.Error("malformed command accepted, want an error (dead letter)")
	}
}
