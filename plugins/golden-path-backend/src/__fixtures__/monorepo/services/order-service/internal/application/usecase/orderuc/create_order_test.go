package orderuc_test

import (
	"testing"

	"github.com/acme/shop/services/order-service/internal/infrastructure/config"
)

func TestCreateOrder(t *testing.T) { _ = config.Prefix }
