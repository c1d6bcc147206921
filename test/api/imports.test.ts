import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { TestHub } from '../support/test-hub.js';
import { describeEachHub } from '../support/test-hub.js';
import { waitFor } from '../sync/sync-fixture.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'fs-imports-api-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const maxBytes = 4096;

const upload = (h: TestHub, query: string, body: string, token?: string | null) =>
  h.call('POST', `/v1/imports?${query}`, {
    rawBody: body,
    headers: { 'content-type': 'text/csv' },
    ...(token !== undefined && { token }),
  });

async function finished(h: TestHub, id: string) {
  let job: Record<string, unknown> = {};
  await waitFor(
    async () => {
      job = (await h.call('GET', `/v1/imports/${id}`)).body;
      return !['queued', 'running'].includes(String(job.status));
    },
    30_000,
    `import ${id} to finish`,
  );
  return job;
}

const jobCount = async (h: TestHub) =>
  Number(
    (
      await h.hub.handle.db
        .selectFrom('import_jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeEachHub(
  'API imports',
  (hub) => {
    it('imports a customers CSV in the background: counts, rejects with row numbers, customers applied', async () => {
      const csv = [
        'code,name,email,street,city,country',
        'IMP-1,Import One,one@example.test,Dok 1,Gent,BE',
        'IMP-2,,not-an-email,,,',
        'IMP-3,Import Three,,Markt 2,Aalst,BE',
      ].join('\n');
      const res = await upload(hub(), 'fileName=customers-api.csv', csv, hub().tokens.write);
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(`/v1/imports/${String(res.body.id)}`);
      expect(res.body).toMatchObject({ fileName: 'customers-api.csv', kind: 'customers', format: 'csv' });
      expect(['queued', 'running', 'completed']).toContain(res.body.status);
      const job = await finished(hub(), String(res.body.id));
      expect(job).toMatchObject({ status: 'completed', rowsRead: 3, applied: 2, rejected: 1 });
      expect(String(job.message)).toMatch(/1 row\(s\) rejected.*upload the same file again/);
      const rejects = await hub().call('GET', `/v1/imports/${String(res.body.id)}/rejects`);
      expect(rejects.status).toBe(200);
      expect(rejects.body.data).toEqual([
        expect.objectContaining({ rowNumber: 3, raw: 'IMP-2,,not-an-email,,,' }),
      ]);
      const reason = String((rejects.body.data as { reason: string }[])[0]?.reason);
      expect(reason).toMatch(/name/);
      expect(reason).toMatch(/email/);
      const applied = await hub().call('GET', '/v1/customers?code=IMP-3');
      expect(applied.body.data).toEqual([expect.objectContaining({ code: 'IMP-3', name: 'Import Three' })]);
      const refused = await hub().call('GET', '/v1/customers?code=IMP-2');
      expect(refused.body.data).toEqual([]);
      const listed = await hub().call('GET', '/v1/imports?limit=5', { token: hub().tokens.read });
      expect(listed.status).toBe(200);
      expect((listed.body.data as { id: string }[])[0]?.id).toBe(res.body.id);
    });

    it('takes the same content again as a duplicate and applies nothing', async () => {
      const csv = 'code,name\nIMP-DUP,Duplicate Once\n';
      const first = await finished(
        hub(),
        String((await upload(hub(), 'fileName=customers-a.csv', csv)).body.id),
      );
      expect(first).toMatchObject({ status: 'completed', applied: 1 });
      const second = await finished(
        hub(),
        String((await upload(hub(), 'fileName=customers-b.csv', csv)).body.id),
      );
      expect(second).toMatchObject({ status: 'duplicate', applied: 0, rowsRead: 0 });
      expect(String(second.message)).toMatch(/imported before/);
    });

    it('takes a file with rejected rows again once their cause is fixed', async () => {
      const warehouse = await hub().call('POST', '/v1/warehouses', {
        body: { code: 'IMP-WH', name: 'Import store', kind: 'central', region: 'west' },
      });
      expect(warehouse.status).toBe(201);
      // The item the stock level names does not exist yet: the row is rejected, the file completes.
      const levels = 'sku,location,quantity\nIMP-FIX,IMP-WH,7\n';
      const first = await finished(
        hub(),
        String((await upload(hub(), 'fileName=stock-levels-fix.csv', levels)).body.id),
      );
      expect(first).toMatchObject({ status: 'completed', applied: 0, rejected: 1 });
      const items = await finished(
        hub(),
        String((await upload(hub(), 'fileName=items-fix.csv', 'sku,name,uom\nIMP-FIX,Fixed,pcs\n')).body.id),
      );
      expect(items).toMatchObject({ status: 'completed', applied: 1, rejected: 0 });
      // The same file again, cause fixed: applied, not a duplicate (it was, before).
      const again = await finished(
        hub(),
        String((await upload(hub(), 'fileName=stock-levels-fix.csv', levels)).body.id),
      );
      expect(again).toMatchObject({ status: 'completed', applied: 1, rejected: 0, message: null });
      const onHand = await hub().call('GET', `/v1/stock/on-hand?warehouseId=${String(warehouse.body.id)}`);
      expect((onHand.body.data as { quantity: string }[]).map((o) => o.quantity)).toEqual(['7']);
      // Applied with nothing rejected: now it is remembered.
      const third = await finished(
        hub(),
        String((await upload(hub(), 'fileName=stock-levels-fix.csv', levels)).body.id),
      );
      expect(third).toMatchObject({ status: 'duplicate' });
    });

    it('recognises a duplicate by kind and format as well as content', async () => {
      const csv = 'sku,name,uom\nIMP-KIND,Kind,pcs\n';
      const asItems = await finished(
        hub(),
        String((await upload(hub(), 'fileName=items-kind.csv', csv)).body.id),
      );
      expect(asItems).toMatchObject({ status: 'completed', applied: 1 });
      // The same bytes sent as customers are another import: read as such (and rejected here, having no
      // customer code), not skipped as a duplicate of the items import.
      const asCustomers = await finished(
        hub(),
        String((await upload(hub(), 'fileName=items-kind.csv&kind=customers', csv)).body.id),
      );
      expect(asCustomers).toMatchObject({ kind: 'customers', status: 'completed', applied: 0 });
      expect(asCustomers.rowsRead).toBeGreaterThan(0);
    });

    it('refuses a file that cannot be read as a whole, saying why', async () => {
      // A header without the required "code" column: no row can be applied, the file is refused whole.
      const res = await upload(hub(), 'fileName=customers-bad.csv', 'name,email\nNo Code,x@example.test\n');
      const job = await finished(hub(), String(res.body.id));
      expect(job).toMatchObject({ status: 'refused', applied: 0 });
      expect(String(job.message)).toMatch(/code/);
    });

    it('bad query → 400 problem+json naming the query path; nothing is stored', async () => {
      const before = await jobCount(hub());
      const cases: [string, string][] = [
        ['', '/query/fileName'],
        ['fileName=../customers.csv', '/query/fileName'],
        ['fileName=notes.csv', '/query/kind'],
        ['fileName=customers.pdf', '/query/format'],
        ['fileName=customers.csv&kind=invoices', '/query/kind'],
      ];
      for (const [query, pointer] of cases) {
        const res = await upload(hub(), query, 'code,name\nX,Y\n');
        expect(res.status, query).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect((res.body.errors ?? []).map((e) => e.path)).toContain(pointer);
      }
      const empty = await upload(hub(), 'fileName=customers.csv', '');
      expect(empty.status).toBe(400);
      expect((empty.body.errors ?? []).map((e) => e.path)).toEqual(['/body']);
      expect(await jobCount(hub())).toBe(before);
    });

    it('an upload over the limit → 413, declared or streamed, and leaves no file behind', async () => {
      const before = await jobCount(hub());
      const filesBefore = readdirSync(path.join(dataDir, 'imports')).length;
      const big = `code,name\n${'X-1,Big\n'.repeat(maxBytes / 8 + 10)}`;
      const declared = await upload(hub(), 'fileName=customers-big.csv', big);
      expect(declared.status).toBe(413);
      expect(declared.headers.get('content-type')).toContain('application/problem+json');
      expect(declared.body).toMatchObject({ code: 'payload_too_large', limitBytes: maxBytes });
      // No Content-Length: the limit holds while the body streams in.
      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512));
          controller.close();
        },
      });
      const streamed = await fetch(`${hub().url}/v1/imports?fileName=customers-big.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hub().tokens.admin}`, 'content-type': 'text/csv' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(await jobCount(hub())).toBe(before);
      expect(readdirSync(path.join(dataDir, 'imports'))).toHaveLength(filesBefore);
    });

    it('keeps a long non-ASCII file name; one over 255 bytes is refused with a 400 naming it', async () => {
      // 234 bytes in UTF-8: a legal name on the user's disk, and the upload is stored under the job id,
      // so no prefix pushes it over the file system's limit (it was a 500, ENAMETOOLONG).
      const longName = `customers-${'é'.repeat(110)}.csv`;
      const res = await upload(
        hub(),
        `fileName=${encodeURIComponent(longName)}`,
        'code,name\nIMP-LONG,Long\n',
      );
      expect(res.status).toBe(202);
      const job = await finished(hub(), String(res.body.id));
      expect(job).toMatchObject({ fileName: longName, status: 'completed', applied: 1 });
      expect(readdirSync(path.join(dataDir, 'imports'))).toContain(String(res.body.id));
      const tooLong = `customers-${'é'.repeat(150)}.csv`;
      const refused = await upload(hub(), `fileName=${encodeURIComponent(tooLong)}`, 'code,name\nX,Y\n');
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([
        { path: '/query/fileName', message: expect.stringContaining('255 bytes') },
      ]);
    });

    it('needs the write scope to upload and read to look; a token is required', async () => {
      const csv = 'code,name\nIMP-SCOPE,Scope\n';
      const reader = await upload(hub(), 'fileName=customers-scope.csv', csv, hub().tokens.read);
      expect(reader.status).toBe(403);
      expect(reader.body).toMatchObject({ code: 'forbidden', requiredScope: 'write' });
      expect((await upload(hub(), 'fileName=customers-scope.csv', csv, null)).status).toBe(401);
      expect((await hub().call('GET', '/v1/imports', { token: null })).status).toBe(401);
      expect((await hub().call('GET', '/v1/imports/no-such-import')).status).toBe(404);
      expect((await hub().call('GET', '/v1/imports/no-such-import/rejects')).status).toBe(404);
    });

    it('is documented in the OpenAPI document with its upload media types', async () => {
      const doc = await hub().call('GET', '/openapi.json', { token: null });
      const paths = doc.body.paths as Record<string, Record<string, { requestBody?: { content: object } }>>;
      expect(Object.keys(paths['/v1/imports']?.post?.requestBody?.content ?? {})).toContain('text/csv');
      expect(paths['/v1/imports/{id}/rejects']?.get).toBeDefined();
    });
  },
  { dataDir, 'imports.maxBytes': maxBytes },
);
