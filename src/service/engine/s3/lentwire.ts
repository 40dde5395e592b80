/**
 * The data path of a transfer thread (thread.ts) without the SDK's S3
 * client, which the thread would otherwise load and build (about 0.6 MB of
 * its bundle, and a heap its collector carries through every GiB). The
 * service's thread keeps deciding through its client (`lenderOf`): each
 * bucket's endpoint and signing scope by its endpoint rules, and the
 * credentials its provider resolves (the default chain, or a provider of
 * its own), which it lends to the threads. A thread signs with the SDK's own
 * SigV4 signer (`@smithy/signature-v4`, SHA-256 by the SDK's Node hash) and
 * retries with the SDK's standard strategy (`S3_MAX_ATTEMPTS`, its backoff
 * and retry quota), as the client does.
 *
 * Credentials within five minutes of their expiry (the SDK's own refresh
 * window) are asked for again before a request is signed: the service's
 * provider refreshes them as the SDK does, so a transfer outlives them.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity, RetryStrategyV2 } from '@smithy/types';
import { Sha256 } from '@smithy/core/checksum';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';
import { EosError } from '../../../core';
import { S3_MAX_ATTEMPTS } from './limits';
import { Route, SignableRequest, Wire, endpointOf } from './wire';

/** How requests to a bucket go, as lent to a thread. */
export interface LentRoute {
  /** The base URL of the bucket's objects. */
  url: string;
  signingRegion: string;
  signingName: string;
}

/** Credentials as lent to a thread (they cross threads as plain data). */
export interface LentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Milliseconds since the epoch; none for credentials that do not expire. */
  expiresMs?: number;
  /** The client's correction of this machine's clock (milliseconds), to date signatures with. */
  clockOffsetMs: number;
}

/** What a thread asks the service's thread for. */
export interface Lender {
  route(bucket: string): Promise<LentRoute>;
  credentials(): Promise<LentCredentials>;
}

/** Credentials this close to their expiry are asked for again (the SDK's window). */
export const REFRESH_MS = 5 * 60000;

/**
 * What the service's thread lends of `client`: each bucket's route by its
 * endpoint rules, and the credentials its provider resolves now (refreshed
 * by the provider as they near their expiry).
 *
 * @throws EosError `Internal` for a bucket signed otherwise than with SigV4 (the threads sign nothing else)
 */
export function lenderOf(client: S3Client): Lender {
  return {
    route: async bucket => {
      const { url, scheme, signingRegion, signingName } = await endpointOf(client, bucket);
      if (scheme !== 'sigv4') {
        throw new EosError(
          'Internal',
          `The bucket ${bucket} is signed with ${scheme}, which transfer threads do not do`
        );
      }
      return { url, signingRegion, signingName };
    },
    credentials: async () => {
      const c = await client.config.credentials();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken !== undefined && { sessionToken: c.sessionToken }),
        ...(c.expiration !== undefined && { expiresMs: c.expiration.getTime() }),
        clockOffsetMs: client.config.systemClockOffset ?? 0
      };
    }
  };
}

/** A thread's data path: routes and credentials asked of the service's thread, signed and retried here. */
export class LentWire implements Wire {
  private readonly routes = new Map<string, Promise<Route>>();
  private readonly signers = new Map<string, SignatureV4>();
  private readonly strategy = new StandardRetryStrategy(S3_MAX_ATTEMPTS);
  private held: LentCredentials | undefined;
  private asking: Promise<LentCredentials> | undefined;

  constructor(private readonly lender: Lender) {}

  route(bucket: string): Promise<Route> {
    let route = this.routes.get(bucket);
    if (route === undefined) {
      route = this.lender.route(bucket).then(lent => ({
        base: new URL(lent.url),
        sign: request => this.sign(request, lent)
      }));
      route.catch(() => this.routes.delete(bucket));
      this.routes.set(bucket, route);
    }
    return route;
  }

  retryStrategy(): Promise<RetryStrategyV2> {
    return Promise.resolve(this.strategy);
  }

  /** The credentials to sign with: those held, unless they near their expiry (then asked again, once for all). */
  private credentials(): Promise<LentCredentials> {
    const held = this.held;
    if (held !== undefined && (held.expiresMs === undefined || held.expiresMs - Date.now() > REFRESH_MS)) {
      return Promise.resolve(held);
    }
    this.asking ??= this.lender.credentials().then(
      lent => {
        this.asking = undefined;
        this.held = lent;
        return lent;
      },
      err => {
        this.asking = undefined;
        throw err;
      }
    );
    return this.asking;
  }

  private async sign(request: SignableRequest, route: LentRoute): Promise<SignableRequest> {
    const { clockOffsetMs } = await this.credentials();
    const scope = `${route.signingRegion}/${route.signingName}`;
    let signer = this.signers.get(scope);
    if (signer === undefined) {
      signer = new SignatureV4({
        service: route.signingName,
        region: route.signingRegion,
        credentials: async () => identityOf(await this.credentials()),
        sha256: Sha256,
        // S3 signs its paths as they are sent (the client's `signingEscapePath: false`).
        uriEscapePath: false
      });
      this.signers.set(scope, signer);
    }
    return (await signer.sign(request as Parameters<SignatureV4['sign']>[0], {
      signingDate: new Date(Date.now() + clockOffsetMs)
    })) as unknown as SignableRequest;
  }
}

function identityOf(lent: LentCredentials): AwsCredentialIdentity {
  return {
    accessKeyId: lent.accessKeyId,
    secretAccessKey: lent.secretAccessKey,
    ...(lent.sessionToken !== undefined && { sessionToken: lent.sessionToken }),
    ...(lent.expiresMs !== undefined && { expiration: new Date(lent.expiresMs) })
  };
}
