import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern } from '../../src/logs/filter/pattern.js';
import { splitFields } from '../../src/logs/filter/delimited.js';

/**
 * The filter pattern matcher against the examples of the CloudWatch Logs User Guide ("Filter
 * pattern syntax": terms, OR, exclusion, JSON, space-delimited, regex) and the edges around them.
 * Each row: pattern, message, expected match.
 */
const cloudTrail = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
  SomeObject: null,
  ThisFlag: true,
});
const users = JSON.stringify({
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }, { id: 3, email: 'Jane.Doe@example.com' }],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
});
const app = JSON.stringify({ level: 'ERROR', latency: 150, message: 'bind: address already in use', code: '400', ok: false });
const apache = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534';

const rows: [pattern: string, message: string, matches: boolean][] = [
  // Everything.
  ['', 'anything at all', true],
  ['""', 'anything at all', true],
  // Terms: case-sensitive substrings, all must occur.
  ['ERROR', '[ERROR] A fatal exception has occurred', true],
  ['ERROR', 'Exiting with ERRORCODE: -1', true],
  ['ERROR', 'error in lower case', false],
  ['ERROR Exception', '[ERROR] Caught IllegalArgumentException', true],
  ['ERROR Exception', '[ERROR] Unhandled Exception', true],
  ['ERROR Exception', '[ERROR] nothing thrown', false],
  ['Failed to process the request', '[WARN] Failed to process the request', true],
  ['Failed to process the request', '[ERROR] Unable to continue: Failed to process the request', true],
  ['Failed to process the request', 'the request was processed', false],
  // Quoted phrases must occur as written.
  ['"Failed to process"', '[WARN] Failed to process the request', true],
  ['"process Failed"', '[WARN] Failed to process the request', false],
  ['"ERROR:"', 'ERROR: disk full', true],
  ['ERROR:', 'ERROR: disk full', true],
  ['request-id', 'request-id=abc', true],
  ['request-id', 'request id', false],
  ['"user@example.com"', 'login by user@example.com', true],
  // Exclusion.
  ['ERROR -Exiting', 'Exiting with ERRORCODE: -1', false],
  ['ERROR -Exiting', '[ERROR] A fatal exception has occurred', true],
  ['"ERROR" - "Exiting"', 'Exiting with ERRORCODE: -1', false],
  ['ERROR -WARN', 'ERROR message', true],
  ['ERROR -WARN', 'ERROR WARN message', false],
  // OR with ?.
  ['?ERROR ?WARN', 'ERROR WARN message', true],
  ['?ERROR ?WARN', 'ERROR message', true],
  ['?ERROR ?WARN', 'WARN message', true],
  ['?ERROR ?WARN', 'INFO message', false],
  ['ERROR WARN', 'ERROR message', false],
  ['timeout ?ERROR ?WARN', 'WARN: upstream timeout', true],
  ['timeout ?ERROR ?WARN', 'WARN: upstream slow', false],
  // JSON: strings, wildcards, arrays, nested objects.
  ['{ $.eventType = "UpdateTrail" }', cloudTrail, true],
  ['{ $.eventType = UpdateTrail }', cloudTrail, true],
  ['{ $.eventType = "Update*" }', cloudTrail, true],
  ['{ $.eventType = "*Trail" }', cloudTrail, true],
  ['{ $.eventType = "Delete*" }', cloudTrail, false],
  ['{ $.eventType != "UpdateTrail" }', cloudTrail, false],
  ['{ $.sourceIPAddress != 123.123.* }', cloudTrail, true],
  ['{ $.sourceIPAddress = 111.111.* }', cloudTrail, true],
  ['{ $.arrayKey[0] = "value" }', cloudTrail, true],
  ['{ $.arrayKey[1] = "value" }', cloudTrail, false],
  ['{ $.objectList[1].id = 2 }', cloudTrail, true],
  ['{ $.objectList[1].id = 1 }', cloudTrail, false],
  ['{ $.SomeObject IS NULL }', cloudTrail, true],
  ['{ $.ThisFlag IS NULL }', cloudTrail, false],
  ['{ $.SomeOtherObject NOT EXISTS }', cloudTrail, true],
  ['{ $.SomeObject NOT EXISTS }', cloudTrail, false],
  ['{ $.SomeObject EXISTS }', cloudTrail, true],
  ['{ $.ThisFlag IS TRUE }', cloudTrail, true],
  ['{ $.ThisFlag IS FALSE }', cloudTrail, false],
  ['{ $.ok IS FALSE }', app, true],
  // JSON: numbers.
  ['{ $.latency > 100 }', app, true],
  ['{ $.latency >= 150 }', app, true],
  ['{ $.latency < 150 }', app, false],
  ['{ $.latency <= 1.5e2 }', app, true],
  ['{ $.latency = 150 }', app, true],
  ['{ $.latency != 150 }', app, false],
  ['{ $.latency > +1000 }', app, false],
  ['{ $.level > 1 }', app, false],
  ['{ $.code = 400 }', app, true],
  // JSON: compound conditions, as in the User Guide's examples.
  ['{ $.level = "ERROR" && $.latency > 100 }', app, true],
  ['{ $.level = "WARN" || $.latency > 100 }', app, true],
  ['{ $.level = "WARN" || $.latency > 1000 }', app, false],
  ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', users, true],
  ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', users, false],
  ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', users, true],
  ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', users, false],
  ['{ $.coordinates[1][2] = 6 }', users, true],
  // JSON: a selector must reach a value node; non-JSON messages never match.
  ['{ $.users = 1 }', users, false],
  ['{ $.users != 1 }', users, false],
  ['{ $.missing != "x" }', app, false],
  ['{ $.level = "ERROR" }', 'level=ERROR but not JSON', false],
  ['{ $.message = %address already% }', app, true],
  ['{ $.message = %^bind:% }', app, true],
  ['{ $.message = %^address% }', app, false],
  // Space-delimited.
  ['[ip, user, username, timestamp, request, status_code, bytes]', apache, true],
  ['[ip, user, username, timestamp, request, status_code]', apache, false],
  ['[..., status_code, bytes]', apache, true],
  ['[ip, user, ..., status_code, bytes]', apache, true],
  ['[ip, user, ...]', apache, true],
  ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', apache, true],
  ['[ip, user, username, timestamp, request, status_code, bytes > 2000]', apache, false],
  ['[ip, user, username, timestamp, request, status_code = 404, bytes]', apache, true],
  ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', apache, true],
  ['[ip, user, username, timestamp, request, status_code = 5*, bytes]', apache, false],
  ['[ip, user, username, timestamp, request = *gif*, status_code = 4*, bytes]', apache, true],
  ['[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]', apache, false],
  ['[..., request=*.gif*, status_code=4*,]', apache, true],
  ['[..., request=*.gif*, status_code=4*]', apache, false],
  ['[w1=ERROR || w1=WARN, w2]', 'WARN message', true],
  ['[w1=ERROR || w1=WARN, w2]', 'INFO message', false],
  ['[w1, w2 != message]', 'WARN message', false],
  // Regular expressions.
  ['%AUTHORIZED%', '[ERROR 401] UNAUTHORIZED REQUEST', true],
  ['%AUTHORIZED%', '[SUCCESS 200] AUTHORIZED REQUEST', true],
  ['%^[hc]at%', 'hat on the head', true],
  ['%^[hc]at%', 'the cat', false],
  ['%colou?r%', 'color and colour', true],
  ['%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', 'from 10.0.0.1 port 22', true],
  ['%[Ee]rror|[Ff]ail%', 'all good', false],
  ['%[Ee]rror|[Ff]ail%', 'job Failed', true],
];

describe('filter patterns', () => {
  it(`has at least 40 rows (${rows.length})`, () => assert.ok(rows.length >= 40));
  for (const [pattern, message, expected] of rows) {
    it(`${pattern || '(empty)'} ${expected ? 'matches' : 'does not match'} ${message.slice(0, 60)}`, () => {
      assert.equal(compileFilterPattern(pattern).matches(message), expected);
    });
  }

  it('names a substring every match of a term pattern contains, for the store to pre-filter', () => {
    assert.equal(compileFilterPattern('ERROR Exception').mustContain, 'Exception');
    assert.equal(compileFilterPattern('"Failed to process" x').mustContain, 'Failed to process');
    assert.equal(compileFilterPattern('?ERROR ?WARN').mustContain, undefined);
    assert.equal(compileFilterPattern('{ $.a = 1 }').mustContain, undefined);
  });

  for (const bad of ['a(b', 'x*y', 'key=value', '{ $.a = }', '{ $.a = "x" ', '{ a = 1 }', '{ $.a > "x" }', '{ $.a IS MAYBE }', '[a, b > x]', '%(a|b)%', '"open', '{ ($.a = 1 }']) {
    it(`rejects ${bad} with InvalidParameterException`, () => {
      assert.throws(() => compileFilterPattern(bad), (e: { code?: string }) => e.code === 'InvalidParameterException');
    });
  }

  it('splits space-delimited messages with [] and "" grouping', () => {
    assert.deepEqual(splitFields(apache), ['127.0.0.1', '-', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /apache_pb.gif HTTP/1.0', '404', '1534']);
    assert.deepEqual(splitFields('  a   b '), ['a', 'b']);
  });
});
