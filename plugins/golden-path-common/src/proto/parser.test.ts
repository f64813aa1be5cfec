import { parseProto } from './parser';
import { ProtoSyntaxError, tokenizeProto } from './tokenizer';

const source = `syntax = "proto3";

package shop.v1;

import "shop/v1/money.proto";

// Detached: a blank line separates it from the service.

// CartService keeps carts.
// Two lines.
service CartService {
  // AddItem adds one item.
  rpc AddItem(AddItemRequest) returns (AddItemResponse);
  rpc Watch(stream WatchRequest) returns (stream WatchResponse); // live updates
}

/*
 * AddItemRequest names the item.
 */
message AddItemRequest {
  string sku = 1; // the stock keeping unit
  // How many; at least 1.
  int32 quantity = 2;
  map<string, string> labels = 3; // free-form
  Item.Kind kind = 4;

  // Item is nested.
  message Item {
    // Kind of item.
    enum Kind {
      KIND_UNSPECIFIED = 0;
      KIND_BOOK = 1; // a book
    }
  }
}
`;

describe('parseProto comments', () => {
  const file = parseProto(source);

  it('attaches leading comment blocks, not detached ones', () => {
    expect(file.services[0].comment).toBe(
      'CartService keeps carts.\nTwo lines.',
    );
    expect(file.services[0].rpcs[0].comment).toBe('AddItem adds one item.');
    expect(file.messages[0].comment).toBe('AddItemRequest names the item.');
    expect(file.messages[0].messages[0].comment).toBe('Item is nested.');
    expect(file.messages[0].messages[0].enums[0].comment).toBe('Kind of item.');
  });

  it('falls back to the comment after the declaration on its line', () => {
    const [sku, quantity, labels, kind] = file.messages[0].fields;
    expect(sku.comment).toBe('the stock keeping unit');
    expect(quantity.comment).toBe('How many; at least 1.');
    expect(labels.comment).toBe('free-form');
    expect(kind.comment).toBeUndefined();
    expect(file.services[0].rpcs[1]).toMatchObject({
      comment: 'live updates',
      clientStreaming: true,
      serverStreaming: true,
    });
    expect(file.messages[0].messages[0].enums[0].values[1].comment).toBe(
      'a book',
    );
  });

  it('keeps the positions of declarations', () => {
    expect(file.services[0]).toMatchObject({ line: 11, column: 1 });
    expect(file.messages[0].fields[1]).toMatchObject({ line: 23, column: 3 });
  });
});

describe('bad input: proto source', () => {
  it('counts multi-byte characters in the size limit without Node APIs', () => {
    // 4 bytes per character in UTF-8, 2 UTF-16 units: 300 of them is 1200 bytes
    const emoji = `// ${'😀'.repeat(300)}\n`;
    expect(() => tokenizeProto(emoji, 1000)).toThrow(
      /larger than the limit of 1000 bytes/,
    );
    expect(() => tokenizeProto(emoji, 1300)).not.toThrow();
    const accents = `// ${'é'.repeat(400)}\n`; // 2 bytes each
    expect(() => tokenizeProto(accents, 700)).toThrow(ProtoSyntaxError);
  });

  it('names the line of an unterminated block comment', () => {
    expect(() => parseProto('syntax = "proto3";\n\n/* open')).toThrow(
      /^3:1: unterminated block comment$/,
    );
  });
});
