/**
 * The AWS SDK packages the service bundles move together: one exact version
 * for every `@aws-sdk/*` dependency, so the client and the presigner never
 * bundle two copies of the SDK's core at different versions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('the AWS SDK dependencies', () => {
  const sdk = Object.entries<string>({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([name]) =>
    name.startsWith('@aws-sdk/')
  );

  it('are pinned to one exact version', () => {
    const versions = new Set(sdk.map(([, version]) => version));
    expect(versions.size).toBe(1);
    expect([...versions][0]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
