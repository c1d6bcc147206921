import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { containsAny } from '../../platform/db/index.js';
import { fromMinorUnits } from '../../shared/money.js';
import type { Technician, TechnicianListFilter } from './schemas.js';
import type { TechniciansTable } from './tables.js';

export type TechnicianRow = Selectable<TechniciansTable>;

export function technicianFromRow(row: TechnicianRow): Technician {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    region: row.region,
    skills: JSON.parse(row.skills) as string[],
    homeVanWarehouseId: row.home_van_warehouse_id,
    costRate: { amount: fromMinorUnits(row.cost_rate_minor, row.cost_currency), currency: row.cost_currency },
    email: row.email,
    phone: row.phone,
    status: row.status === 'archived' ? 'archived' : 'active',
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function findTechnicianRow(db: Kysely<Database>, id: string): Promise<TechnicianRow | undefined> {
  return db.selectFrom('technicians').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTechnicianByCode(db: Kysely<Database>, code: string): Promise<TechnicianRow | undefined> {
  return db.selectFrom('technicians').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Skills are a JSON array of restricted tags, so `"tag"` (quotes included) matches exactly one element. */
function hasSkill(skill: string) {
  const pattern = `%${JSON.stringify(skill).replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return sql<boolean>`skills like ${pattern} escape '\\'`;
}

export function listTechnicianRows(
  db: Kysely<Database>,
  filter: TechnicianListFilter,
  page: { limit: number; afterId?: string },
): Promise<TechnicianRow[]> {
  let query = db
    .selectFrom('technicians')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.afterId) query = query.where('id', '>', page.afterId);
  if (filter.code) query = query.where('code', '=', filter.code);
  if (filter.region) query = query.where('region', '=', filter.region);
  if (filter.homeVanWarehouseId) query = query.where('home_van_warehouse_id', '=', filter.homeVanWarehouseId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.skill) query = query.where(hasSkill(filter.skill.trim().toLowerCase()));
  if (filter.q) query = query.where(containsAny(['name', 'code'], filter.q));
  return query.execute();
}
