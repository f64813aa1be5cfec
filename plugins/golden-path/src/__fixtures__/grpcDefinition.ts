/** A gRPC API definition with two services, streaming, nesting and imports. */
export const grpcDefinition = `syntax = "proto3";

package shop.v1;

import "google/protobuf/timestamp.proto";
import "shop/v1/money.proto";

// CatalogService lists what the shop sells.
service CatalogService {
  // GetProduct returns one product.
  rpc GetProduct(GetProductRequest) returns (Product);
  // WatchPrices streams price changes.
  rpc WatchPrices(GetProductRequest) returns (stream Product);
}

// SupportService is the live chat.
service SupportService {
  rpc Chat(stream ChatMessage) returns (stream ChatMessage);
}

// Product is one article.
message Product {
  // Stock keeping unit.
  string sku = 1;
  Money price = 2; // from money.proto
  repeated Variant variants = 3;
  Availability availability = 4;
  map<string, string> attributes = 5;

  // Variant is one orderable form.
  message Variant {
    // Size label.
    string size = 1;
    google.protobuf.Timestamp counted_at = 2;
  }

  // Availability as the warehouse reports it.
  enum Availability {
    AVAILABILITY_UNSPECIFIED = 0;
    AVAILABILITY_IN_STOCK = 1; // ships within a day
  }
}

// GetProductRequest names the product.
message GetProductRequest {
  // Stock keeping unit.
  string sku = 1;
}

message ChatMessage {
  string text = 1;
}
`;
