module github.com/acme/shop/services/order-service // the order service

go 1.26

require go.uber.org/fx v1.24.0
