export { technicianRoutes } from './routes.js';
export {
  costRateSchema,
  technicianCreateSchema,
  technicianPatchSchema,
  technicianSchema,
} from './schemas.js';
export type { Technician, TechnicianCreate, TechnicianListFilter, TechnicianPatch } from './schemas.js';
export {
  archiveTechnician,
  createTechnician,
  getTechnician,
  listTechnicians,
  TechnicianEvents,
  updateTechnician,
} from './service.js';
export type { TechniciansTables } from './tables.js';
