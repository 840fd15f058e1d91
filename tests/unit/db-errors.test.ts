import { describe, expect, test } from 'vitest';
import { DatabaseTimeoutError, isDatabaseUnavailable } from '~/.server/db-errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  test.each([
    ['statement timeout', withCode('57014')],
    ['lock timeout', withCode('55P03')],
    ['terminated by an administrator', withCode('57P01')],
    ['crash shutdown', withCode('57P02')],
    ['starting up', withCode('57P03')],
    ['connection failure', withCode('08006')],
    ['serialization failure', withCode('40001')],
    ['refused socket', withCode('ECONNREFUSED')],
    ['reset socket', withCode('ECONNRESET')],
    ['pool wait', new Error('timeout exceeded when trying to connect')],
    ['dropped connection', new Error('Connection terminated unexpectedly')],
    ['client read timeout', new Error('Query read timeout')],
    ['rollback on a dead connection', new Error('Client was closed and is not queryable')],
    ['our own timeout', new DatabaseTimeoutError('health check', 100)],
    ['wrapped', new Error('outer', { cause: withCode('57P01') })],
    [
      'every address refused',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    ],
  ])('%s is the database being unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  test.each([
    ['a unique violation', withCode('23505')],
    ['a check violation', withCode('23514')],
    ['a missing table', withCode('42P01')],
    ['a syntax error', withCode('42601')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'Connection terminated'],
    ['nothing', null],
  ])('%s is not', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
