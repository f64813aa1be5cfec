import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { GoServiceDependencyPicker } from './GoServiceDependencyPicker';
import { GoServiceDependenciesPicker } from './GoServiceDependenciesPicker';
import { fakeCatalogApi, shopEntities } from './testCatalog';

function props(
  formData: unknown,
  form: Record<string, unknown>,
  onChange = jest.fn(),
) {
  return {
    onChange,
    formData,
    formContext: { formData: form },
    schema: {
      title: 'Service it will call',
      description: 'Another Go service',
    },
    uiSchema: {},
    idSchema: { $id: 'root_dependency' },
    rawErrors: [],
    required: true,
  } as any;
}

const render = (element: JSX.Element) =>
  renderInTestApp(element, {
    apis: [[catalogApiRef, fakeCatalogApi(shopEntities) as any]],
  });

async function openOptions() {
  const input = screen.getByRole('textbox');
  fireEvent.mouseDown(input);
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  return screen.findAllByRole('option');
}

describe('GoServiceDependencyPicker', () => {
  it('offers only the Go services the calling service may call', async () => {
    // catalog-service: order and shipping call it (cycles), ledger is in bank.
    await render(
      <GoServiceDependencyPicker
        {...props(undefined, { service: 'component:default/shipping-service' })}
      />,
    );
    expect(await screen.findByText('Another Go service')).toBeInTheDocument();
    const options = await openOptions();
    expect(options.map(o => o.textContent)).toEqual(['catalog-service']);
  });

  it('offers nothing while the calling service is not chosen', async () => {
    await render(<GoServiceDependencyPicker {...props(undefined, {})} />);
    const input = screen.getByRole('textbox');
    fireEvent.mouseDown(input);
    await waitFor(() => expect(screen.queryAllByRole('option')).toEqual([]));
  });

  it('takes a typed name as it is typed, for the validation to check', async () => {
    const onChange = jest.fn();
    await render(
      <GoServiceDependencyPicker
        {...props(undefined, { service: 'order-service' }, onChange)}
      />,
    );
    fireEvent.change(screen.getByRole('textbox'), {
      target: { value: 'payment' },
    });
    expect(onChange).toHaveBeenLastCalledWith('payment');
  });

  it('shows a chosen ref by its entity name', async () => {
    await render(
      <GoServiceDependencyPicker
        {...props('component:default/catalog-service', {
          service: 'component:default/shipping-service',
        })}
      />,
    );
    await waitFor(() =>
      expect(screen.getByRole('textbox')).toHaveValue('catalog-service'),
    );
  });
});

describe('GoServiceDependenciesPicker', () => {
  it('offers the Go services of the chosen System, not the ones chosen', async () => {
    await render(
      <GoServiceDependenciesPicker
        {...props(['order'], {
          name: 'billing',
          system: 'system:default/shop',
        })}
      />,
    );
    expect(screen.getByText('order')).toBeInTheDocument();
    const options = await openOptions();
    expect(options.map(o => o.textContent)).toEqual(['catalog', 'shipping']);
  });

  it('adds a typed name when the field loses focus', async () => {
    const onChange = jest.fn();
    await render(
      <GoServiceDependenciesPicker
        {...props(['order'], { name: 'billing' }, onChange)}
      />,
    );
    const input = screen.getByRole('textbox');
    fireEvent.change(input, { target: { value: 'payment ' } });
    fireEvent.blur(input);
    expect(onChange).toHaveBeenLastCalledWith(['order', 'payment']);
  });
});
