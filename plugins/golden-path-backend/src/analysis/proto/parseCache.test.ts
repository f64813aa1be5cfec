import { ProtoSyntaxError } from '@golden-path/plugin-golden-path-common';
import { ProtoParseCache } from './parseCache';

const OK = 'syntax = "proto3";\npackage a.v1;\nmessage A { string id = 1; }\n';

describe('ProtoParseCache', () => {
  it('parses each content once, a syntax error included, and tells edits apart', async () => {
    const cache = new ProtoParseCache();
    const first = cache.parse(Buffer.from(OK));
    expect(first.package).toBe('a.v1');
    // the same bytes in another buffer (another file of the same content)
    expect(cache.parse(Buffer.from(OK))).toBe(first);
    const edited = cache.parse(Buffer.from(OK.replace('A {', 'B {')));
    expect(edited.messages.map(m => m.name)).toEqual(['B']);
    const broken = Buffer.from('syntax = "proto3";\nmessage {\n');
    expect(() => cache.parse(broken)).toThrow(ProtoSyntaxError);
    expect(() => cache.parse(broken)).toThrow(ProtoSyntaxError);
    // another size limit is another parse
    expect(() => cache.parse(Buffer.from(OK), { maxBytes: 10 })).toThrow(/10/);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 4 });
  });

  it('drops the least recently used beyond its limits', () => {
    const cache = new ProtoParseCache({ maxEntries: 2, maxBytes: 1 << 20 });
    const sources = ['A', 'B', 'C'].map(n =>
      Buffer.from(OK.replace('A {', `${n} {`)),
    );
    const a = cache.parse(sources[0]);
    cache.parse(sources[1]);
    cache.parse(sources[0]); // A used last
    cache.parse(sources[2]); // B dropped
    expect(cache.parse(sources[0])).toBe(a);
    expect(cache.stats()).toMatchObject({ entries: 2, hits: 2, misses: 3 });
    cache.parse(sources[1]);
    expect(cache.stats()).toMatchObject({ misses: 4 });
  });

  it('warms from a tree in slices, skipping what does not parse', async () => {
    const cache = new ProtoParseCache();
    await cache.warm(
      {
        files: new Map([
          ['api/proto/a/v1/a.proto', Buffer.from(OK)],
          ['api/proto/b/v1/b.proto', Buffer.from('message {')],
          ['go.mod', Buffer.from('module x\n')],
        ]),
        problems: [],
      },
      { sliceMs: 0 },
    );
    expect(cache.stats()).toMatchObject({ entries: 2, misses: 2 });
    cache.parse(Buffer.from(OK));
    expect(cache.stats()).toMatchObject({ hits: 1 });
  });
});
