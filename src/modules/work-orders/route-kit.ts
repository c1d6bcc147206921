import { z } from '@hono/zod-openapi';
import { idParam, problemResponses } from '../../api/index.js';
import { workOrderSchema } from './schemas.js';

export const tags = ['work-orders'];
export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });
export const oneWorkOrder = {
  200: { description: 'The work order', ...json(workOrderSchema) },
  ...problemResponses,
};
export const createdWorkOrder = {
  201: { description: 'The work order with the new line', ...json(workOrderSchema) },
  ...problemResponses,
};
export const subId = (name: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' } });
export const laborParams = idParam.extend({ laborId: subId('laborId') });
export const partParams = idParam.extend({ partId: subId('partId') });
