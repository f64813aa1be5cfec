import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  goServiceDependenciesPickerFormField,
  goServiceDependencyPickerFormField,
} from './formFields';
import { goldenPathPlugin } from './plugin';

describe('the scaffolder fields in the new frontend system', () => {
  it.each([
    [goServiceDependencyPickerFormField, 'GoServiceDependencyPicker'],
    [goServiceDependenciesPickerFormField, 'GoServiceDependenciesPicker'],
  ])('load %#: the field %s with its validation', async (extension, name) => {
    const tester = createExtensionTester(
      extension as typeof goServiceDependencyPickerFormField,
    );
    const loader = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    const field = (await loader()) as any;
    expect(field.name).toBe(name);
    expect(typeof field.component).toBe('function');
    expect(typeof field.validation).toBe('function');
  });

  it('attach to the scaffolder form fields and come with the plugin', () => {
    expect(
      goServiceDependencyPickerFormField.toString() +
        goServiceDependenciesPickerFormField.toString(),
    ).toContain('api:scaffolder/form-fields');
    expect(
      goldenPathPlugin.getExtension(
        'scaffolder-form-field:golden-path/go-service-dependency-picker',
      ),
    ).toBeDefined();
    expect(
      goldenPathPlugin.getExtension(
        'scaffolder-form-field:golden-path/go-service-dependencies-picker',
      ),
    ).toBeDefined();
  });
});
