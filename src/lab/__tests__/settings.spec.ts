import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';

import { DEFAULT_SETTINGS, EosSettings } from '../settings';
import pluginSchema from '../../../schema/plugin.json';

/** A registry entry that stores what `set` writes and reports it back through `changed`. */
function fakeRegistry(initial: Record<string, unknown>) {
  const composite: Record<string, unknown> = { ...initial };
  const changed = new Signal<unknown, void>({});
  const writes: [string, unknown][] = [];
  const settings = {
    composite,
    changed,
    set: async (key: string, value: unknown) => {
      writes.push([key, value]);
      composite[key] = value;
      changed.emit();
    }
  } as unknown as ISettingRegistry.ISettings;
  return { settings, writes };
}

describe('EosSettings', () => {
  it('starts from the defaults schema/plugin.json declares, every one of them', () => {
    const properties: Record<string, { default?: unknown }> = pluginSchema.properties;
    const declared = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key, p.default]));
    expect(new EosSettings().values).toEqual(declared);
  });

  it('starts from the defaults and follows the registry', () => {
    const { settings } = fakeRegistry({ pageSize: 100 });
    const eos = new EosSettings();
    expect(eos.values).toEqual(DEFAULT_SETTINGS);
    eos.follow(settings);
    expect(eos.values.pageSize).toBe(100);
  });

  it('writes what the user chooses (a column sort) to the registry, so it lasts', async () => {
    const { settings, writes } = fakeRegistry({});
    const eos = new EosSettings();
    eos.follow(settings);
    const seen: string[] = [];
    eos.changed.connect((_, values) => seen.push(`${values.sortBy} ${values.sortDirection}`));
    eos.save({ sortBy: 'size', sortDirection: 'descending' });
    expect(eos.values).toMatchObject({ sortBy: 'size', sortDirection: 'descending' });
    await Promise.resolve();
    expect(writes).toEqual([
      ['sortBy', 'size'],
      ['sortDirection', 'descending']
    ]);
    expect(seen[0]).toBe('size descending');
    expect(eos.values).toMatchObject({ sortBy: 'size', sortDirection: 'descending' });
  });

  it('saves in memory only when it follows no registry', () => {
    const eos = new EosSettings();
    eos.save({ showHidden: true });
    expect(eos.values.showHidden).toBe(true);
  });
});

describe('sizes in the settings', () => {
  // Every size the UI shows is decimal (formatSize: 1 MB = 1,000,000 bytes), so the settings count the same way.
  const schemas = ['plugin.json', 'open.json'].map(name =>
    JSON.parse(require('fs').readFileSync(require('path').join(__dirname, '..', '..', '..', 'schema', name), 'utf8'))
  );
  const sized = schemas.flatMap(schema =>
    Object.entries(schema.properties as Record<string, any>).filter(([, p]) => /\((MB|GB)\)/.test(p.title ?? ''))
  );

  it('are labelled MB or GB, never mixed with MiB or GiB, and their bounds are whole decimal units', () => {
    expect(sized.map(([key]) => key).sort()).toEqual(['diskLimitGB', 'openLimitMB']);
    for (const [, p] of sized) {
      expect(`${p.title} ${p.description}`).not.toMatch(/MiB|GiB|KiB/);
      if (p.maximum !== undefined) {
        expect(Number.isInteger(p.maximum)).toBe(true);
      }
    }
    const { MAX_OPEN_LIMIT } = require('../../core');
    expect(MAX_OPEN_LIMIT).toBe(sized.find(([key]) => key === 'openLimitMB')![1].maximum * 1000 ** 2);
  });
});
