import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, writeFiles } from '../__testUtils__/context';
import { readRecordedValues } from './recordedValues';

const RECORD = JSON.stringify({
  template: 'go-service',
  values: {
    name: 'a',
    serviceName: 'a-service',
    module: 'example.com/shop/services/a-service',
    pkgModule: 'example.com/shop/pkg',
    protoPkg: 'a',
    aggregate: 'Order',
    aggPlural: 'Orders',
    table: 'orders',
    stage: 'dev',
    fields: [],
  },
});

describe('readRecordedValues', () => {
  it('reads the values a service recorded', () => {
    const s = makeSandbox({
      'services/a-service/.golden-path/values.json': RECORD,
    });
    try {
      const v = readRecordedValues(
        path.join(s.workspace, 'services/a-service'),
        'a-service',
        'services/a-service',
      );
      expect(v).toMatchObject({ name: 'a', jobs: [], jobsMigration: '0002' });
    } finally {
      s.cleanup();
    }
  });

  it('refuses a .golden-path directory or a values.json that is a symlink, never reading outside the service', () => {
    const s = makeSandbox({ 'services/a-service/README.md': '# a\n' });
    try {
      writeFiles(s.outside, { 'values.json': RECORD });
      const dir = path.join(s.workspace, 'services/a-service');
      fs.symlinkSync(s.outside, path.join(dir, '.golden-path'));
      expect(() =>
        readRecordedValues(dir, 'a-service', 'services/a-service'),
      ).toThrow(
        'services/a-service/.golden-path/values.json ".golden-path/values.json" goes through a symlink (.golden-path); symlinks are not followed here: replace it with a regular directory',
      );
      fs.unlinkSync(path.join(dir, '.golden-path'));
      fs.mkdirSync(path.join(dir, '.golden-path'));
      fs.symlinkSync(
        path.join(s.outside, 'values.json'),
        path.join(dir, '.golden-path/values.json'),
      );
      expect(() =>
        readRecordedValues(dir, 'a-service', 'services/a-service'),
      ).toThrow(
        'services/a-service/.golden-path/values.json ".golden-path/values.json" is a symlink; symlinks are not followed here: replace it with a regular file',
      );
    } finally {
      s.cleanup();
    }
  });

  it('refuses a name or protoPkg that would make a path the template never makes', () => {
    const s = makeSandbox();
    try {
      const dir = path.join(s.workspace, 'services/a-service');
      for (const [key, value] of [
        ['protoPkg', '../../services/b'],
        ['name', '../a'],
      ]) {
        const doc = JSON.parse(RECORD);
        doc.values[key] = value;
        writeFiles(dir, {
          '.golden-path/values.json': JSON.stringify(doc),
        });
        expect(() =>
          readRecordedValues(dir, 'a-service', 'services/a-service'),
        ).toThrow(
          'not what the Go service template records (a kebab-case name, <name>-service, protoPkg its letters and digits)',
        );
      }
    } finally {
      s.cleanup();
    }
  });

  it('refuses a file over 1 MiB before reading it, and keeps __proto__ a plain key', () => {
    const s = makeSandbox({
      'services/a-service/.golden-path/values.json': `{"x":"${'a'.repeat(
        1024 * 1024,
      )}"}`,
    });
    try {
      const dir = path.join(s.workspace, 'services/a-service');
      expect(() =>
        readRecordedValues(dir, 'a-service', 'services/a-service'),
      ).toThrow(
        'services/a-service/.golden-path/values.json is larger than 1 MiB',
      );
      const doc = JSON.parse(RECORD);
      fs.writeFileSync(
        path.join(dir, '.golden-path/values.json'),
        JSON.stringify(doc).replace(
          '"fields":[]',
          '"fields":[],"__proto__":{"polluted":true}',
        ),
      );
      const v = readRecordedValues(dir, 'a-service', 'services/a-service');
      expect(({} as any).polluted).toBeUndefined();
      expect((v as any).polluted).toBeUndefined();
    } finally {
      s.cleanup();
    }
  });
});
