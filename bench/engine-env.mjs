// The identity and environment a benchmark's engine process runs with against
// a test S3 server (versitygw's `testing` credentials): the service's own
// variables, as jupyter-server-proxy would pass them.
export const USER_ID = '0b5e7a2c-1111-4d6e-9f00-bbbbbbbbbbbb';
export const ORG_ID = '3c0ffee0-2222-4a1b-8c3d-aaaaaaaaaaaa';
/** The org bucket EOS derives from ORG_ID. */
export const BUCKET = `gencove-explorer-${ORG_ID.replace(/-/g, '').slice(0, 12)}`;

/** The process environment of an engine talking to `endpoint`, with `more` on top. */
export function engineEnv(endpoint, more = {}) {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    GENCOVE_USER_ID: USER_ID,
    GENCOVE_ORGANIZATION_ID: ORG_ID,
    EOS_ENDPOINT_URL: endpoint,
    ...more
  };
}
