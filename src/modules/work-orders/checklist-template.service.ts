import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { forUpdate, isUniqueViolation } from '../../platform/db/index.js';
import type { Executor } from '../../platform/outbox/index.js';
import { inTransaction, queryable } from '../../platform/outbox/index.js';
import { nowIso } from '../../shared/clock.js';
import { errors } from '../../shared/errors/index.js';
import { newId } from '../../shared/ids.js';
import { assertVersion } from '../../shared/versioning.js';
import type {
  ChecklistItem,
  ChecklistTemplate,
  ChecklistTemplateCreate,
  ChecklistTemplateListFilter,
  ChecklistTemplatePatch,
} from './checklist-schemas.js';
import { checklistTemplateCreateSchema, checklistTemplatePatchSchema } from './checklist-schemas.js';
import { ChecklistTemplateEvents } from './events.js';
import { parseInput } from '../../shared/parse-input.js';
import type { ChecklistTemplatesTable } from './tables.js';
import type { WorkOrderType } from './work-order-types.js';

const subjectOf = (id: string) => `checklist_template/${id}`;

export function templateFromRow(row: Selectable<ChecklistTemplatesTable>): ChecklistTemplate {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    defaultForType: row.default_for_type as WorkOrderType | null,
    items: JSON.parse(row.items) as ChecklistItem[],
    status: row.status === 'archived' ? 'archived' : 'active',
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One default template per type: a second one is a 409 naming the holder, never a silent swap. */
async function assertDefaultFree(
  db: Kysely<Database>,
  type: string | null | undefined,
  selfId?: string,
): Promise<void> {
  if (!type) return;
  const holder = await db
    .selectFrom('checklist_templates')
    .select(['id', 'name'])
    .where('default_for_type', '=', type)
    .executeTakeFirst();
  if (holder && holder.id !== selfId) {
    throw errors.conflict(
      `checklist template ${holder.id} (${holder.name}) is already the default for ${type}`,
      {
        field: 'defaultForType',
        conflictingId: holder.id,
      },
    );
  }
}

function rethrowUnique(error: unknown, type: string | null | undefined): never {
  if (isUniqueViolation(error))
    throw errors.conflict(`another template is already the default for ${type ?? ''}`, {
      field: 'defaultForType',
    });
  throw error;
}

export async function createChecklistTemplate(
  executor: Executor,
  raw: ChecklistTemplateCreate,
): Promise<ChecklistTemplate> {
  const input = parseInput(checklistTemplateCreateSchema, raw);
  return inTransaction(executor, async (uow) => {
    await assertDefaultFree(uow.tx, input.defaultForType);
    const now = nowIso();
    const row = {
      id: newId(),
      name: input.name,
      description: input.description ?? null,
      default_for_type: input.defaultForType ?? null,
      items: JSON.stringify(input.items),
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await uow.tx.insertInto('checklist_templates').values(row).execute();
    } catch (error) {
      rethrowUnique(error, input.defaultForType);
    }
    const template = templateFromRow(row);
    await uow.emit({
      type: ChecklistTemplateEvents.created,
      subject: subjectOf(template.id),
      data: { template },
    });
    return template;
  });
}

export async function getChecklistTemplate(executor: Executor, id: string): Promise<ChecklistTemplate> {
  const row = await queryable(executor)
    .selectFrom('checklist_templates')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw errors.notFound('checklist template', id);
  return templateFromRow(row);
}

/** The active default template for a work-order type, if one is set. */
export async function defaultChecklistTemplate(
  executor: Executor,
  type: WorkOrderType,
): Promise<ChecklistTemplate | undefined> {
  const row = await queryable(executor)
    .selectFrom('checklist_templates')
    .selectAll()
    .where('default_for_type', '=', type)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row ? templateFromRow(row) : undefined;
}

export async function listChecklistTemplates(
  executor: Executor,
  filter: ChecklistTemplateListFilter,
  page: { limit: number; afterId?: string },
): Promise<{ data: ChecklistTemplate[]; nextAfterId: string | null }> {
  let query = queryable(executor)
    .selectFrom('checklist_templates')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.type) query = query.where('default_for_type', '=', filter.type);
  const rows = await query.execute();
  const pageRows = rows.slice(0, page.limit);
  return {
    data: pageRows.map(templateFromRow),
    nextAfterId: rows.length > page.limit ? (pageRows[pageRows.length - 1]?.id ?? null) : null,
  };
}

/**
 * Editing a template bumps its version; work orders keep the copy of the items they were given, so an
 * edit never changes a checklist that is being (or has been) answered.
 */
export async function updateChecklistTemplate(
  executor: Executor,
  id: string,
  raw: ChecklistTemplatePatch,
  expectedVersion?: number,
): Promise<ChecklistTemplate> {
  const patch = parseInput(checklistTemplatePatchSchema, raw);
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('checklist_templates').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('checklist template', id);
    assertVersion('checklist template', id, Number(row.version), expectedVersion);
    if (row.status === 'archived')
      throw errors.conflict(`checklist template ${id} is archived`, { status: row.status });
    if (patch.defaultForType) await assertDefaultFree(uow.tx, patch.defaultForType, id);
    const next: Partial<ChecklistTemplatesTable> = {};
    const changed: string[] = [];
    const set = <K extends keyof ChecklistTemplatesTable>(
      field: string,
      column: K,
      value: ChecklistTemplatesTable[K] | undefined,
    ) => {
      if (value === undefined || value === row[column]) return;
      next[column] = value;
      changed.push(field);
    };
    set('name', 'name', patch.name);
    set('description', 'description', patch.description);
    set('defaultForType', 'default_for_type', patch.defaultForType);
    set('items', 'items', patch.items === undefined ? undefined : JSON.stringify(patch.items));
    if (changed.length === 0) return templateFromRow(row);
    try {
      await uow.tx
        .updateTable('checklist_templates')
        .set({ ...next, version: Number(row.version) + 1, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      rethrowUnique(error, patch.defaultForType);
    }
    const template = await getChecklistTemplate(uow, id);
    await uow.emit({
      type: ChecklistTemplateEvents.updated,
      subject: subjectOf(id),
      data: { template, changedFields: changed },
    });
    return template;
  });
}

/** Archived templates are no longer handed to new work orders and give up their type default. */
export async function archiveChecklistTemplate(
  executor: Executor,
  id: string,
  expectedVersion?: number,
): Promise<ChecklistTemplate> {
  return inTransaction(executor, async (uow) => {
    const row = await forUpdate(
      uow.tx,
      uow.tx.selectFrom('checklist_templates').selectAll().where('id', '=', id),
    ).executeTakeFirst();
    if (!row) throw errors.notFound('checklist template', id);
    assertVersion('checklist template', id, Number(row.version), expectedVersion);
    if (row.status === 'archived') return templateFromRow(row);
    await uow.tx
      .updateTable('checklist_templates')
      .set({
        status: 'archived',
        default_for_type: null,
        version: Number(row.version) + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    const template = await getChecklistTemplate(uow, id);
    await uow.emit({
      type: ChecklistTemplateEvents.archived,
      subject: subjectOf(id),
      data: { template, changedFields: ['status', ...(row.default_for_type ? ['defaultForType'] : [])] },
    });
    return template;
  });
}
