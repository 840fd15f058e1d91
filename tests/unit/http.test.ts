import { expect, test } from 'vitest';
import { z } from 'zod';
import { DomainError } from '~/.server/errors';
import { domainFailure, MAX_FORM_BYTES, parseForm } from '~/.server/http';
import { SignInSchema } from '~/lib/schemas/accounts';

const NameSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'Enter your name' }),
  note: z.string().optional(),
});

function formPost(body: string | FormData, headers: Record<string, string> = {}) {
  return new Request('http://localhost/form', {
    method: 'POST',
    headers:
      typeof body === 'string'
        ? { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }
        : headers,
    body,
  });
}

async function thrownBy(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected parseForm to throw');
    },
    (thrown: unknown) => thrown,
  );
}

test('parseForm returns the parsed data and the typed values of a valid form', async () => {
  const result = await parseForm(formPost('name=+Ada+&note=hi%21'), NameSchema);

  expect(result).toEqual({
    ok: true,
    data: { name: 'Ada', note: 'hi!' },
    values: { name: ' Ada ', note: 'hi!' },
  });
});

test('parseForm puts schema errors on their field and keeps what was typed', async () => {
  const result = await parseForm(formPost('name=+&note=kept'), NameSchema);

  expect(result).toEqual({
    ok: false,
    formError: null,
    fieldErrors: { name: ['Enter your name'] },
    values: { name: ' ', note: 'kept' },
  });
});

test('parseForm refuses a NUL byte on the field that has it and keeps every value', async () => {
  const result = await parseForm(formPost('name=Ada%00Lovelace&note=fine'), NameSchema);

  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.fieldErrors).toEqual({ name: [expect.stringMatching(/control characters/)] });
  expect(result.values).toEqual({ name: 'Ada\u0000Lovelace', note: 'fine' });
});

test('parseForm refuses text that was not valid UTF-8', async () => {
  const result = await parseForm(formPost('name=%FF%FE'), NameSchema);

  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.fieldErrors.name?.[0]).toMatch(/could not read/);
});

test('parseForm refuses a field the form does not have, as a form-level error', async () => {
  const result = await parseForm(formPost('name=Ada&isAdmin=true'), NameSchema);

  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.formError).toMatch(/fields we did not expect/);
  expect(result.values).toEqual({ name: 'Ada', isAdmin: 'true' });
});

test('parseForm refuses a repeated field, as a form-level error, keeping the first value', async () => {
  const result = await parseForm(formPost('name=Ada&name=Grace'), NameSchema);

  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.formError).toMatch(/repeated field/);
  expect(result.values).toEqual({ name: 'Ada' });
});

test('parseForm refuses a file upload', async () => {
  const form = new FormData();
  form.set('name', 'Ada');
  form.set('note', new Blob(['file contents']), 'note.txt');

  const result = await parseForm(formPost(form), NameSchema);

  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.formError).toMatch(/does not accept files/);
});

test('parseForm never sends a password back in the values, whatever went wrong', async () => {
  const badEmail = await parseForm(formPost('email=nope&password=hunter2-secret'), SignInSchema);
  const unknownField = await parseForm(
    formPost('email=a%40example.com&password=hunter2-secret&x=1'),
    SignInSchema,
  );
  const nulByte = await parseForm(formPost('email=a%00&password=hunter2-secret'), SignInSchema);

  for (const result of [badEmail, unknownField, nulByte]) {
    expect(result.ok).toBe(false);
    if (result.ok) continue;
    expect(result.values).not.toHaveProperty('password');
    expect(JSON.stringify(result)).not.toContain('hunter2-secret');
  }
});

test('parseForm refuses a body declared larger than the limit with a 413, before reading it', async () => {
  const request = formPost('name=Ada', { 'Content-Length': String(MAX_FORM_BYTES + 1) });

  const thrown = (await thrownBy(parseForm(request, NameSchema))) as {
    type: string;
    init: { status: number } | null;
    data: { message: string };
  };

  expect(thrown.type).toBe('DataWithResponseInit');
  expect(thrown.init?.status).toBe(413);
  expect(thrown.data.message).toMatch(/too large/);
  expect(request.bodyUsed).toBe(false);
});

test('parseForm refuses an oversized body that declares no length, without reading it all', async () => {
  let sent = 0;
  const chunk = new TextEncoder().encode(`name=${'a'.repeat(16 * 1024)}`);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += chunk.byteLength;
      controller.enqueue(chunk);
      if (sent > 10 * MAX_FORM_BYTES) controller.close();
    },
  });
  const request = new Request('http://localhost/form', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    duplex: 'half',
  } as RequestInit);

  const thrown = (await thrownBy(parseForm(request, NameSchema))) as {
    init: { status: number } | null;
  };

  expect(thrown.init?.status).toBe(413);
  expect(sent).toBeLessThan(2 * MAX_FORM_BYTES);
});

test('parseForm accepts a body exactly at the limit', async () => {
  const body = `name=${'a'.repeat(MAX_FORM_BYTES - 5)}`;

  const result = await parseForm(
    formPost(body, { 'Content-Length': String(body.length) }),
    NameSchema,
  );

  expect(result.ok).toBe(true);
});

test('domainFailure maps a rate limit to 429 with Retry-After and drops the password', () => {
  const error = new DomainError('rate_limited', 'Too many attempts.', { retryAfterSeconds: 42 });

  const response = domainFailure(error, {
    email: 'a@example.com',
    password: 'secret',
  }) as unknown as {
    data: { formError: string; values: Record<string, string> };
    init: { status: number; headers: Record<string, string> };
  };

  expect(response.init.status).toBe(429);
  expect(response.init.headers).toEqual({ 'Retry-After': '42' });
  expect(response.data.formError).toBe('Too many attempts.');
  expect(response.data.values).toEqual({ email: 'a@example.com' });
});

test.each([
  ['invalid', 422],
  ['conflict', 409],
  ['closed', 409],
  ['not_found', 404],
  ['forbidden', 403],
  ['unauthenticated', 401],
] as const)('domainFailure maps %s to HTTP %i and keeps its field errors', (code, status) => {
  const error = new DomainError(code, 'Nope', { fieldErrors: { slug: ['Taken'] } });

  const response = domainFailure(error, {}) as unknown as {
    data: { fieldErrors: Record<string, string[]> };
    init: { status: number };
  };

  expect(response.init.status).toBe(status);
  expect(response.data.fieldErrors).toEqual({ slug: ['Taken'] });
});
