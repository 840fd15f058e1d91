import { expect, test } from 'vitest';
import { canonicalJson, contentHash } from '~/.server/summaries';
import { parseEvidenceRef } from '~/lib/schemas/summaries';
import { diffLines } from '~/lib/text-diff';

test('canonical JSON sorts keys at every depth, keeps array order and drops undefined', () => {
  const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined };
  expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
});

test('the content hash does not depend on key order but does on every value', () => {
  const one = { number: 1, intro: { markdown: 'We asked', html: '<p>We asked</p>' } };
  const reordered = { intro: { html: '<p>We asked</p>', markdown: 'We asked' }, number: 1 };
  expect(contentHash(one)).toBe(contentHash(reordered));
  expect(contentHash(one)).toMatch(/^[0-9a-f]{64}$/);
  expect(contentHash({ ...one, number: 2 })).not.toBe(contentHash(one));
  // Known value: SHA-256 of `{"a":1}`.
  expect(contentHash({ a: 1 })).toBe(
    '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
  );
});

test('canonical JSON refuses what JSON cannot carry', () => {
  expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
  expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot hold a function/);
});

test('evidence references read as figures, respondents, answers or comments, and nothing else', () => {
  const id = '0b7f3c1e-2a4d-4f6e-8a9b-0c1d2e3f4a5b';
  expect(parseEvidenceRef('net_support:3:investor')).toEqual({
    kind: 'figure',
    measure: 'net_support',
    recommendationNumber: 3,
    group: 'investor',
  });
  expect(parseEvidenceRef('respondents:all')).toEqual({ kind: 'respondents', group: 'all' });
  expect(parseEvidenceRef(`answer:${id}:${id}`)).toEqual({
    kind: 'answer',
    responseId: id,
    recommendationId: id,
  });
  expect(parseEvidenceRef(`comment:${id}`)).toEqual({ kind: 'comment', commentId: id });
  for (const bad of [
    'net_support:0:all',
    'net_support:3:everyone',
    'tone:1:all',
    'comment:1',
    '',
  ]) {
    expect(parseEvidenceRef(bad), bad).toBeNull();
  }
});

test('a line diff marks kept, removed and added lines in reading order', () => {
  expect(diffLines('one\ntwo\nthree', 'one\n2\nthree\nfour')).toEqual([
    { op: 'same', text: 'one' },
    { op: 'removed', text: 'two' },
    { op: 'added', text: '2' },
    { op: 'same', text: 'three' },
    { op: 'added', text: 'four' },
  ]);
  expect(diffLines('', 'new')).toEqual([{ op: 'added', text: 'new' }]);
  expect(diffLines('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
});
