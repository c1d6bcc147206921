import type { Executor } from '../../platform/outbox/index.js';
import type { Technician } from '../technicians/index.js';
import { getTechnician } from '../technicians/index.js';
import { orNull, unresolved } from './references.js';

/** An active technician; archived technicians keep their history but take no new work. */
export async function resolveTechnician(
  executor: Executor,
  technicianId: string,
  path: (string | number)[],
): Promise<Technician> {
  const technician = await orNull(() => getTechnician(executor, technicianId));
  if (!technician) throw unresolved(path, `technician ${technicianId} does not exist`, { technicianId });
  if (technician.status === 'archived')
    throw unresolved(path, `technician ${technicianId} is archived`, { technicianId });
  return technician;
}
