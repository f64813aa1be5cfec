{%- macro pad(s, w) -%}${{ s }}${{ '                                                                '.slice(0, w - (s | length)) }}{%- endmacro -%}
{%- set A = values.aggregate -%}
{%- set w = 10 if values.hasStateMachine else 6 -%}
// Package consumer is the inbound messaging adapter: it turns command messages
// from RabbitMQ into use case calls. Send a command to the service's command
// queue (COMMANDS_QUEUE, through the default exchange) with the AMQP type
// "${{ values.aggSnake }}.<command>", a unique message_id and the JSON body {"id": "<uuid>"};
// when the type is empty the routing key is used instead.
// Commands: {% for name, items in values.transitions | groupby("name") %}${{ name }}, {% endfor %}delete.
//
// Delivery is at-least-once, so each message takes effect once: its id is
// recorded in processed_messages in the transaction of its effect, and a
// message seen before is acknowledged without effect. A command that finds
// the ${{ values.aggSnake | replace('_', ' ') }} already gone or already moved on is acknowledged too.
// A malformed command is dead-lettered at once (rabbitmq.Permanent); any other
// failure (the database unreachable, a conflict) is retried through the retry
// queue and dead-lettered only after COMMAND_MAX_RETRIES attempts.
package consumer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	amqp "github.com/rabbitmq/amqp091-go"
	"go.uber.org/zap"

	apperrors "${{ values.pkgModule }}/errors"
	"${{ values.pkgModule }}/mq/rabbitmq"
{% if values.hasStateMachine %}
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
{%- endif %}
	"${{ values.module }}/internal/application/port/output"
	"${{ values.module }}/internal/application/service"
)

// CommandPrefix starts the type of every command.
const CommandPrefix = "${{ values.aggSnake }}."

// Name identifies this consumer in processed_messages.
const Name = "${{ values.serviceName }}.commands"

type command struct {
	ID string `json:"id"`
}

// CommandHandler executes command messages.
type CommandHandler struct {
	${{ pad('svc', w) }} service.${{ A }}Service
{%- if values.hasStateMachine %}
	${{ pad('transition', w) }} input.Transition${{ A }}UseCase
{%- endif %}
	${{ pad('tx', w) }} output.TxManager
	${{ pad('inbox', w) }} output.ProcessedMessages
	${{ pad('logger', w) }} *zap.Logger
}

func newCommandHandler(svc service.${{ A }}Service, {% if values.hasStateMachine %}transition input.Transition${{ A }}UseCase, {% endif %}tx output.TxManager, inbox output.ProcessedMessages, logger *zap.Logger) *CommandHandler {
	if svc == nil || {% if values.hasStateMachine %}transition == nil || {% endif %}tx == nil || inbox == nil || logger == nil {
		panic("consumer: newCommandHandler needs every dependency")
	}
	return &CommandHandler{svc: svc, {% if values.hasStateMachine %}transition: transition, {% endif %}tx: tx, inbox: inbox, logger: logger}
}

// Handle executes one delivery once. It returns a rabbitmq.Permanent error
// for a message that can never succeed (dead-lettered at once) and a plain
// error for a failure worth retrying.
func (h *CommandHandler) Handle(ctx context.Context, d amqp.Delivery) error {
	name := d.Type
	if name == "" {
		name = d.RoutingKey
	}
	name, ok := strings.CutPrefix(name, CommandPrefix)
	if !ok {
		return rabbitmq.Permanent(fmt.Errorf("consumer: message %q: type %q is not a ${{ values.aggSnake }} command (${{ values.aggSnake }}.<command>)", d.MessageId, d.Type))
	}
	if d.MessageId == "" {
		return rabbitmq.Permanent(fmt.Errorf("consumer: %s command without a message_id: set a unique message_id so a redelivery is recognized", name))
	}
	var cmd command
	if err := json.Unmarshal(d.Body, &cmd); err != nil {
		return rabbitmq.Permanent(fmt.Errorf("consumer: message %s: decode %s command: %w", d.MessageId, name, err))
	}
	id, err := uuid.Parse(cmd.ID)
	if err != nil {
		return rabbitmq.Permanent(fmt.Errorf("consumer: message %s: %s command: id %q is not a UUID", d.MessageId, name, cmd.ID))
	}
	log := h.logger.With(zap.String("command", name), zap.Stringer("${{ values.aggSnake }}_id", id), zap.String("message_id", d.MessageId))

	outcome := "executed"
	err = h.tx.WithinTx(ctx, func(ctx context.Context) error {
		first, err := h.inbox.MarkProcessed(ctx, Name, d.MessageId)
		if err != nil {
			return err
		}
		if !first {
			outcome = "duplicate"
			return nil
		}
		err = h.execute(ctx, name, id)
		switch apperrors.CodeOf(err) {
		case apperrors.CodeNotFound, apperrors.CodeFailedPrecondition:
			// Already gone or moved on: nothing left to do, remember the message.
			log.Info("command skipped", zap.Error(err))
			outcome = "skipped"
			return nil
		}
		return err
	})
	switch code := apperrors.CodeOf(err); {
	case err == nil:
		if outcome != "skipped" {
			log.Info("command " + outcome)
		}
		return nil
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case code == apperrors.CodeInvalidArgument || code == apperrors.CodePermissionDenied:
		return rabbitmq.Permanent(fmt.Errorf("consumer: %s %s: %w", name, id, err))
	default:
		return fmt.Errorf("consumer: %s %s: %w", name, id, err)
	}
}

func (h *CommandHandler) execute(ctx context.Context, name string, id uuid.UUID) error {
	switch name {
	case "delete":
		return h.svc.Delete(ctx, id)
	default:
{%- if values.hasStateMachine %}
		_, err := h.transition.Execute(ctx, &request.Transition${{ A }}{ID: id, Transition: name})
		return err
{%- else %}
		return apperrors.New(apperrors.CodeInvalidArgument, fmt.Sprintf("unknown command %q (want delete)", name))
{%- endif %}
	}
}
