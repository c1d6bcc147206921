// The inbound billing-document applier (tryton-invoice-numbers-in) through the pull machinery against the
// loopback test ERP: the ERP's invoice state moves the document sent → invoiced through billing's own
// transitions, once; a credited document is left alone; a cancelled invoice is a pull error.
import { afterEach, expect, it } from 'vitest';
import {
  approveDocument,
  billWorkOrder,
  creditDocument,
  getBillingDocument,
  markDocumentInvoiced,
  markDocumentSent,
} from '../../src/modules/billing/index.js';
import { completedWorkOrder, createBillingWorld } from '../../src/modules/billing/testing/billing-world.js';
import { listPullErrors } from '../../src/sync/pull/index.js';
import { describeEachEngine } from '../support/test-database.js';
import type { PullFixture } from './pull-fixture.js';
import { eventsOf, pullFixture } from './pull-fixture.js';

/** As tryton-invoice-numbers-in (config/flows/tryton.example.yaml). */
const invoiceMapping = {
  fields: {
    number: { from: 'reference', owner: 'fieldsync' },
    externalRef: { from: 'id', owner: 'erp' },
    erpNumber: { from: 'number', owner: 'erp' },
    status: {
      from: 'state',
      owner: 'erp',
      transform: [
        {
          valueMap: {
            map: {
              draft: 'sent_to_erp',
              validated: 'sent_to_erp',
              posted: 'invoiced',
              paid: 'invoiced',
              cancelled: 'cancelled',
            },
          },
        },
      ],
    },
  },
};

describeEachEngine('inbound billing documents (invoice numbers from the ERP)', (db) => {
  let fixture: PullFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const invoicePull = () =>
    pullFixture(db().db, {
      entity: 'billing_document',
      sourceEntity: 'invoice',
      mapping: invoiceMapping,
      operation: 'update',
    });

  async function approvedDocument() {
    const w = await createBillingWorld(db().db);
    const wo = await completedWorkOrder(db().db, w, { completedAt: '2026-03-14T15:20:00Z' });
    const { document } = await billWorkOrder(db().db, wo.id);
    return approveDocument(db().db, document.id);
  }

  it('a draft invoice marks the document sent, posting marks it invoiced; repeats change nothing', async () => {
    const doc = await approvedDocument();
    fixture = await invoicePull();
    const { erp, scheduler, flow } = fixture;
    const [invoice, foreign] = erp.store.seed('invoice', [
      { data: { id: 41, reference: doc.number, number: null, state: 'draft' } },
      // A supplier invoice, say: no Fieldsync document has its reference.
      { data: { id: 42, reference: 'SUP-7', number: 'P-7', state: 'posted' } },
      // An invoice made in Tryton by hand: no reference at all. Skipped, not a pull error.
      { data: { id: 43, reference: null, number: 'INV-X', state: 'posted' } },
    ]);
    expect(foreign).toBeDefined();
    expect(await scheduler.runOnce(flow.name)).toMatchObject({
      updated: 1,
      created: 0,
      skipped: 2,
      pullErrors: 0,
    });
    expect(await getBillingDocument(db().db, doc.id)).toMatchObject({
      status: 'sent_to_erp',
      externalRef: '41',
      erpNumber: null,
    });

    erp.store.mutate('invoice', invoice?.id ?? '', { number: 'INV2026-00007', state: 'posted' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    expect(await getBillingDocument(db().db, doc.id)).toMatchObject({
      status: 'invoiced',
      externalRef: '41',
      erpNumber: 'INV2026-00007',
    });
    erp.store.mutate('invoice', invoice?.id ?? '', { state: 'paid' });
    expect(await scheduler.runOnce(flow.name)).toMatchObject({ pullErrors: 0 });
    expect((await eventsOf(db().db, `billing_document/${doc.id}`)).map((e) => e.type)).toEqual([
      'billing.document.created',
      'billing.document.approved',
      'billing.document.sent',
      'billing.document.invoiced',
    ]);
  });

  it('posted at first sight: sent and invoiced in one pull', async () => {
    const doc = await approvedDocument();
    fixture = await invoicePull();
    fixture.erp.store.seed('invoice', [
      { data: { id: 7, reference: doc.number, number: 'INV-1', state: 'posted' } },
    ]);
    expect(await fixture.scheduler.runOnce(fixture.flow.name)).toMatchObject({ updated: 1, pullErrors: 0 });
    expect(await getBillingDocument(db().db, doc.id)).toMatchObject({
      status: 'invoiced',
      erpNumber: 'INV-1',
    });
  });

  it('a credited document stays credited; a cancelled invoice is a pull error naming the way to undo it', async () => {
    const credited = await approvedDocument();
    await creditDocument(db().db, credited.id, { reason: 'wrong customer' });
    const cancelled = await approvedDocument();
    fixture = await invoicePull();
    fixture.erp.store.seed('invoice', [
      { data: { id: 1, reference: credited.number, number: 'INV-9', state: 'posted' } },
      { data: { id: 2, reference: cancelled.number, number: null, state: 'cancelled' } },
    ]);
    expect(await fixture.scheduler.runOnce(fixture.flow.name)).toMatchObject({ pullErrors: 1 });
    expect(await getBillingDocument(db().db, credited.id)).toMatchObject({
      status: 'credited',
      erpNumber: null,
    });
    expect(await getBillingDocument(db().db, cancelled.id)).toMatchObject({ status: 'approved' });
    const [error] = (await listPullErrors(db().db, { flow: fixture.flow.name, status: 'open' })).data;
    expect(error).toMatchObject({ errorClass: 'conflict' });
    expect(error?.message).toContain(`the ERP's invoice for ${cancelled.number} is cancelled`);
    expect(error?.message).toContain('/credit');
  });

  it('a document that already records another ERP number is a conflict pull error, not silently kept', async () => {
    const doc = await approvedDocument();
    await markDocumentSent(db().db, doc.id, { externalRef: '900' });
    await markDocumentInvoiced(db().db, doc.id, { erpNumber: 'TYPED-BY-HAND-1' });
    fixture = await invoicePull();
    fixture.erp.store.seed('invoice', [
      { data: { id: 900, reference: doc.number, number: 'INV2026-00031', state: 'posted' } },
    ]);
    expect(await fixture.scheduler.runOnce(fixture.flow.name)).toMatchObject({ updated: 0, pullErrors: 1 });
    expect(await getBillingDocument(db().db, doc.id)).toMatchObject({ erpNumber: 'TYPED-BY-HAND-1' });
    const [error] = (await listPullErrors(db().db, { flow: fixture.flow.name, status: 'open' })).data;
    expect(error).toMatchObject({ errorClass: 'conflict' });
    expect(error?.message).toContain('records erpNumber TYPED-BY-HAND-1');
    expect(error?.message).toContain('INV2026-00031');
  });
});
