import * as core from '..';
import { DEFAULT_DISK_LIMIT, DEFAULT_PRESIGN_SECONDS, MAX_LIST_LIMIT, MAX_PRESIGN_SECONDS, Routes } from '../api';
import { ERROR_STATUS, EosError, ErrorCode, isErrorCode } from '../errors';

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

describe('ERROR_STATUS', () => {
  it('holds the codes the design names', () => {
    for (const code of [
      'NotFound',
      'ReadOnly',
      'AccessDenied',
      'Conflict',
      'OutsideRoot',
      'InvalidUri',
      'NoSpace',
      'Upstream'
    ]) {
      expect(CODES).toContain(code);
    }
  });

  it.each(CODES)('%s has a 4xx or 5xx status', code => {
    const status = ERROR_STATUS[code];
    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });

  it.each<[ErrorCode, number]>([
    ['InvalidRequest', 400],
    ['InvalidUri', 400],
    ['Unauthorized', 401],
    ['Forbidden', 403],
    ['AccessDenied', 403],
    ['ReadOnly', 403],
    ['OutsideRoot', 403],
    ['NotFound', 404],
    ['MethodNotAllowed', 405],
    ['Conflict', 409],
    ['PayloadTooLarge', 413],
    ['Internal', 500],
    ['Upstream', 502],
    ['NoCredentials', 503],
    ['NotConfigured', 503],
    ['NoSpace', 507]
  ])('%s answers %d', (code, status) => {
    expect(ERROR_STATUS[code]).toBe(status);
  });
});

describe('EosError', () => {
  it.each(CODES)('carries %s with its status', code => {
    const error = new EosError(code, 'message');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(EosError);
    expect(error.name).toBe('EosError');
    expect(error.code).toBe(code);
    expect(error.status).toBe(ERROR_STATUS[code]);
    expect(error.message).toBe('message');
    expect(error.details).toBeUndefined();
    expect(typeof error.stack).toBe('string');
  });

  it('serialises to {code, message} without details', () => {
    const error = new EosError('NotFound', 'No such key: e://org/x');
    expect(error.toJSON()).toEqual({ code: 'NotFound', message: 'No such key: e://org/x' });
    expect(Object.keys(error.toJSON())).toEqual(['code', 'message']);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'NotFound', message: 'No such key: e://org/x' });
  });

  it('serialises details when there are some', () => {
    const error = new EosError('Upstream', 'S3 failed', 'SlowDown: reduce your request rate');
    expect(error.details).toBe('SlowDown: reduce your request rate');
    expect(error.toJSON()).toEqual({
      code: 'Upstream',
      message: 'S3 failed',
      details: 'SlowDown: reduce your request rate'
    });
    expect(JSON.parse(JSON.stringify({ error }))).toEqual({ error: error.toJSON() });
  });

  it('leaves out empty details', () => {
    expect(new EosError('Internal', 'x', '').toJSON()).toEqual({ code: 'Internal', message: 'x' });
  });

  it('can be thrown and caught by code', () => {
    const caught = (() => {
      try {
        throw new EosError('Conflict', 'exists');
      } catch (e) {
        return e;
      }
    })();
    expect(caught instanceof EosError && caught.code === 'Conflict' && caught.status === 409).toBe(true);
  });
});

describe('isErrorCode', () => {
  it.each(CODES)('%s is a code', code => {
    expect(isErrorCode(code)).toBe(true);
  });

  it.each([
    'notfound',
    'NOTFOUND',
    'Nope',
    '',
    'toString',
    'constructor',
    'hasOwnProperty',
    '__proto__',
    'valueOf',
    undefined,
    null,
    404,
    {},
    ['NotFound'],
    new String('NotFound')
  ])('%p is not a code', value => {
    expect(isErrorCode(value)).toBe(false);
  });
});

describe('api constants', () => {
  it('has the documented limits', () => {
    expect(DEFAULT_PRESIGN_SECONDS).toBe(172800);
    expect(MAX_PRESIGN_SECONDS).toBe(604800);
    expect(DEFAULT_PRESIGN_SECONDS).toBeLessThanOrEqual(MAX_PRESIGN_SECONDS);
    expect(MAX_LIST_LIMIT).toBe(1000);
    expect(DEFAULT_DISK_LIMIT).toBe(200e9);
  });

  it('has relative route paths', () => {
    for (const route of Object.values(Routes)) {
      expect(route).toMatch(/^api(\/[a-z]+)+$/);
    }
  });
});

describe('the core index', () => {
  it('re-exports every module', () => {
    for (const name of [
      'EosError',
      'ERROR_STATUS',
      'isErrorCode',
      'parseEosUri',
      'formatEosUri',
      'parseS3Uri',
      'formatS3Uri',
      'isFolder',
      'basename',
      'parent',
      'child',
      'isUuid',
      'utf8Length',
      'NAMESPACES',
      'toS3',
      'fromS3',
      'parseLocation',
      'lastSegment',
      'formatBytes',
      'GENOMICS_TYPES',
      'genomicsTypeOf',
      'shareable',
      'shareableUri',
      's3Uri',
      'canonical',
      'makeContext',
      'orgBucketName',
      'accessOf',
      'canWrite',
      'assertWritable',
      'Routes',
      'DEFAULT_PRESIGN_SECONDS'
    ]) {
      expect(core).toHaveProperty(name);
    }
  });
});
