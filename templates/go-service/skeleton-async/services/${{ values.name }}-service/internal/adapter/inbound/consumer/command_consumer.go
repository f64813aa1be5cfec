{%- set A = values.aggregate -%}
// Package consumer is the inbound messaging adapter: it turns command messages
// from RabbitMQ into use case calls. Send a command to the service's command
// queue (COMMANDS_QUEUE, through the default exchange) with the AMQP type
// "${{ values.aggSnake }}.<command>" and the JSON body {"id": "<uuid>"}; when the type is
// empty the routing key is used instead.
// Commands: {% for name, items in values.transitions | groupby("name") %}${{ name }}, {% endfor %}delete.
// Delivery is at-least-once, so commands are idempotent: a command that finds
// the ${{ values.aggSnake | replace('_', ' ') }} already gone or already moved on is acknowledged.
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
{% if values.hasStateMachine %}
	"${{ values.module }}/internal/application/dto/request"
	"${{ values.module }}/internal/application/port/input"
{%- endif %}
	"${{ values.module }}/internal/application/service"
)

// CommandPrefix starts the type of every command.
const CommandPrefix = "${{ values.aggSnake }}."

type command struct {
	ID string `json:"id"`
}

// CommandHandler executes command messages.
type CommandHandler struct {
{%- if values.hasStateMachine %}
	svc        service.${{ A }}Service
	transition input.Transition${{ A }}UseCase
	logger     *zap.Logger
{%- else %}
	svc    service.${{ A }}Service
	logger *zap.Logger
{%- endif %}
}

func newCommandHandler(svc service.${{ A }}Service, {% if values.hasStateMachine %}transition input.Transition${{ A }}UseCase, {% endif %}logger *zap.Logger) *CommandHandler {
	return &CommandHandler{svc: svc, {% if values.hasStateMachine %}transition: transition, {% endif %}logger: logger}
}

// Handle executes one delivery; an error sends it to the dead-letter queue.
func (h *CommandHandler) Handle(ctx context.Context, d amqp.Delivery) error {
	name := d.Type
	if name == "" {
		name = d.RoutingKey
	}
	name, ok := strings.CutPrefix(name, CommandPrefix)
	if !ok {
		return fmt.Errorf("consumer: %q is not a ${{ values.aggSnake }} command", d.RoutingKey)
	}
	var cmd command
	if err := json.Unmarshal(d.Body, &cmd); err != nil {
		return fmt.Errorf("consumer: decode %s command: %w", name, err)
	}
	id, err := uuid.Parse(cmd.ID)
	if err != nil {
		return fmt.Errorf("consumer: %s command: id %q is not a UUID", name, cmd.ID)
	}
	switch name {
	case "delete":
		err = h.svc.Delete(ctx, id)
	default:
{%- if values.hasStateMachine %}
		_, err = h.transition.Execute(ctx, &request.Transition${{ A }}{ID: id, Transition: name})
{%- else %}
		err = fmt.Errorf("consumer: unknown command %q", name)
{%- endif %}
	}
	switch code := apperrors.CodeOf(err); {
	case err == nil:
		h.logger.Info("command executed", zap.String("command", name), zap.Stringer("${{ values.aggSnake }}_id", id))
		return nil
	case code == apperrors.CodeNotFound || code == apperrors.CodeFailedPrecondition:
		h.logger.Info("command skipped", zap.String("command", name), zap.Stringer("${{ values.aggSnake }}_id", id), zap.Error(err))
		return nil
	case errors.Is(err, context.Canceled):
		return err
	default:
		return fmt.Errorf("consumer: %s %s: %w", name, id, err)
	}
}
