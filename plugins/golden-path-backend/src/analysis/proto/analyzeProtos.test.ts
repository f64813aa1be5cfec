import path from 'node:path';
import { readLocalSourceTree } from '../sourceTree';
import { analyzeProtos } from './analyzeProtos';

const MONOREPO = path.resolve(__dirname, '../../__fixtures__/monorepo');

describe('analyzeProtos', () => {
  it('reports each message with its fields, nested messages flattened', async () => {
    const tree = await readLocalSourceTree(MONOREPO, p => p.endsWith('.proto'));
    const { files } = analyzeProtos(tree, {
      serviceDir: 'services/order-service',
    });
    const file = files.find(
      f => f.path === 'api/proto/order/v1/order_service.proto',
    )!;
    const byName = new Map(file.messageDetails!.map(m => [m.fullName, m]));
    expect(byName.get('order.v1.CreateOrderRequest')!.fields).toEqual([
      {
        name: 'items',
        type: 'Order.Item',
        number: 1,
        label: 'repeated',
        line: 52,
      },
    ]);
    expect(
      byName
        .get('order.v1.ListOrdersRequest')!
        .fields.map(f => `${f.name}:${f.type}=${f.number}`),
    ).toEqual(['page_size:int32=1', 'page_token:string=2']);
    expect(file.messageDetails!.map(m => m.fullName)).toEqual(file.messages);
  });

  it('expects an API of a golden-path service only', () => {
    const empty = { files: new Map<string, Buffer>(), problems: [] };
    const golden = analyzeProtos(empty, { serviceDir: 'services/x-service' });
    expect(golden.problems.map(p => [p.severity, p.code])).toEqual([
      ['warning', 'proto-none'],
    ]);
    const other = analyzeProtos(empty, {
      serviceDir: 'services/x-service',
      apiExpected: false,
    });
    expect(other.problems.map(p => [p.severity, p.code])).toEqual([
      ['info', 'proto-none'],
    ]);
  });
});
