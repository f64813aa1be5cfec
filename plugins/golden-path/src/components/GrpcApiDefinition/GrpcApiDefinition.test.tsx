import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { grpcDefinition } from '../../__fixtures__/grpcDefinition';
import { GrpcApiDefinition } from './GrpcApiDefinition';
import { readDefinition } from './readDefinition';

// the browser renders tables and accordions: slow in jsdom on a busy machine
jest.setTimeout(30_000);

const render = (definition: string) =>
  renderInTestApp(<GrpcApiDefinition definition={definition} />);

/** The raw view's mark of line `n` (labelled with the line's text). */
const rawLine = (n: number) =>
  document.querySelector(`[data-line="${n}"]`) as HTMLElement | null;

describe('GrpcApiDefinition', () => {
  it('counts what the definition declares', async () => {
    await render(grpcDefinition);
    expect(
      await screen.findByText(
        'package shop.v1 · proto3 · 2 services · 3 RPCs · 4 messages · 1 enum',
      ),
    ).toBeInTheDocument();
  });

  it('shows services with their RPCs, streaming flags and comments', async () => {
    await render(grpcDefinition);
    const catalog = await screen.findByLabelText('service CatalogService');
    expect(
      within(catalog).getByText('CatalogService lists what the shop sells.'),
    ).toBeInTheDocument();
    expect(within(catalog).getByText('GetProduct')).toBeInTheDocument();
    expect(
      within(catalog).getByText(
        '(GetProductRequest) returns (stream Product) · server streaming',
      ),
    ).toBeInTheDocument();
    const support = screen.getByLabelText('service SupportService');
    expect(
      within(support).getByText(
        '(stream ChatMessage) returns (stream ChatMessage) · bidirectional streaming',
      ),
    ).toBeInTheDocument();
  });

  it('shows the request and response fields with their comments (first RPC open)', async () => {
    await render(grpcDefinition);
    // GetProduct (open) and WatchPrices both take GetProductRequest
    const [request] = await screen.findAllByLabelText(
      'Request GetProductRequest',
    );
    expect(within(request).getByText('sku')).toBeInTheDocument();
    const [response] = screen.getAllByLabelText('Response Product');
    expect(within(response).getByText('Product is one article.')).toBeVisible();
    const priceRow = within(response).getByText('price').closest('tr')!;
    expect(within(priceRow).getByText(/from money\.proto/)).toBeInTheDocument();
    expect(
      within(within(response).getByText('attributes').closest('tr')!).getByText(
        'map<string, string>',
      ),
    ).toBeInTheDocument();
    // a type declared in the definition links to its declaration
    expect(
      within(response).getByRole('link', { name: 'repeated Variant' }),
    ).toHaveAttribute('href', '#grpc-type-shop.v1.Product.Variant');
  });

  it('lists nested messages and enums with their values and comments', async () => {
    await render(grpcDefinition);
    const variant = await screen.findByLabelText(
      'message shop.v1.Product.Variant',
    );
    expect(
      within(variant).getByText('Variant is one orderable form.'),
    ).toBeInTheDocument();
    const availability = screen.getByLabelText(
      'enum shop.v1.Product.Availability',
    );
    expect(
      within(availability).getByText('AVAILABILITY_IN_STOCK = 1'),
    ).toBeInTheDocument();
    expect(
      within(availability).getByText('ships within a day'),
    ).toBeInTheDocument();
  });

  it('links declarations to their line in the Raw view', async () => {
    await render(grpcDefinition);
    const catalog = await screen.findByLabelText('service CatalogService');
    await userEvent.click(
      within(catalog).getAllByRole('link', {
        name: 'line 9 of the definition',
      })[0],
    );
    expect(await screen.findByLabelText('raw definition')).toBeInTheDocument();
    expect(rawLine(9)).toHaveAttribute('aria-current', 'location');
    expect(rawLine(9)).toHaveAccessibleName('line 9: service CatalogService {');
  });

  it('toggles to the Raw view with line numbers and back', async () => {
    await render(grpcDefinition);
    await userEvent.click(await screen.findByRole('radio', { name: 'Raw' }));
    expect(screen.getByTestId('raw-text')).toHaveTextContent(
      /^syntax = "proto3"; package shop\.v1;/,
    );
    expect(screen.queryByLabelText('service CatalogService')).toBeNull();
    await userEvent.click(screen.getByRole('radio', { name: 'Browse' }));
    expect(
      await screen.findByLabelText('service CatalogService'),
    ).toBeInTheDocument();
  });
});

describe('bad input: gRPC API definitions', () => {
  const invalid = grpcDefinition.replace(
    'rpc GetProduct(GetProductRequest)',
    'rpc GetProduct(GetProductRequest',
  );

  it('shows the parse error with its line, on the Raw view at that line', async () => {
    await render(invalid);
    expect(
      await screen.findByText(
        'The proto does not parse: line 11, column 36: expected ")" after the request type of rpc GetProduct, found "returns"',
      ),
    ).toBeInTheDocument();
    expect(rawLine(11)).toHaveAttribute('aria-current', 'location');
    expect(rawLine(11)).toHaveAccessibleName(
      'line 11: rpc GetProduct(GetProductRequest returns (Product);',
    );
  });

  it('keeps the Raw toggle working on an invalid proto', async () => {
    await render(invalid);
    await userEvent.click(await screen.findByRole('radio', { name: 'Browse' }));
    expect(screen.getByText(/Nothing to browse/)).toBeInTheDocument();
    expect(screen.queryByLabelText('raw definition')).toBeNull();
    await userEvent.click(screen.getByRole('radio', { name: 'Raw' }));
    expect(screen.getByTestId('raw-text')).toHaveTextContent(
      /^syntax = "proto3";/,
    );
  });

  it('refuses a 10 MB definition in one line before parsing it', async () => {
    const huge = `syntax = "proto3";\n${'// padding\n'.repeat(
      (10 * 1024 * 1024) / 11,
    )}`;
    // the length decides, so nothing of the 10 MB is read: the parser's own
    // refusal would say "counted in UTF-8 bytes" and give no size
    expect(readDefinition(huge)).toEqual({
      kind: 'too-large',
      message:
        "The definition is 10.0 MB, over the proto browser's limit of 1.0 MB: split the proto into files of one API each, or read it on the Raw tab.",
    });
    await render(huge);
    const alert = await screen.findByText(/The definition is 10\.0 MB/);
    expect(alert.textContent).not.toContain('\n');
    // the Raw view shows the start only
    await userEvent.click(screen.getByRole('radio', { name: 'Raw' }));
    expect(
      screen.getByText('Showing the first 1.0 MB of 10.0 MB.'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('raw-text').textContent).toHaveLength(
      1024 * 1024,
    );
  });

  it('refuses a definition over the limit in UTF-8 bytes though short in characters', () => {
    const wide = `syntax = "proto3";\n// ${'😀'.repeat(300_000)}\n`;
    expect(wide.length).toBeLessThan(1024 * 1024);
    expect(readDefinition(wide)).toMatchObject({ kind: 'too-large' });
  });

  it('shows types of imports that cannot be resolved by name, not as errors', async () => {
    await render(grpcDefinition);
    const imports = await screen.findByLabelText('imports');
    expect(
      within(imports).getByText('google/protobuf/timestamp.proto'),
    ).toBeInTheDocument();
    expect(
      within(imports).getByText('shop/v1/money.proto'),
    ).toBeInTheDocument();
    const variant = screen.getByLabelText('message shop.v1.Product.Variant');
    const row = within(variant).getByText('counted_at').closest('tr')!;
    expect(
      within(row).getByText('google.protobuf.Timestamp'),
    ).toBeInTheDocument();
    expect(within(row).getByText('imported')).toBeInTheDocument();
    expect(screen.queryByText(/does not parse/)).toBeNull();
  });

  it('shows an RPC whose request comes from an import by name', async () => {
    await render(`syntax = "proto3";
package a.v1;
import "b/v1/b.proto";
service A { rpc Get(b.v1.GetRequest) returns (b.v1.GetResponse); }
`);
    expect(
      await screen.findByText(
        'b.v1.GetRequest is declared in an imported file, which this definition does not hold.',
      ),
    ).toBeInTheDocument();
  });

  it('treats a definition that is not text as empty', async () => {
    await render(undefined as unknown as string);
    expect(
      await screen.findByText(/declares no service; 0 messages, 0 enums/),
    ).toBeInTheDocument();
  });
});
