/**
 * The service version: the package.json version, which the bundler injects
 * as `__EOS_VERSION__` (scripts/build-service.mjs); unbundled code (tests)
 * reports a development version.
 */
declare const __EOS_VERSION__: string | undefined;

export const SERVICE_NAME = 'jupyterlab-eos';

export const VERSION: string = typeof __EOS_VERSION__ === 'string' ? __EOS_VERSION__ : '0.0.0-dev';
