import type { TrytonClient } from './tryton-client.js';
import type { TrytonCallOptions, TrytonDomain } from './types.js';

export interface TrytonPagingOptions extends TrytonCallOptions {
  fields: readonly string[];
  /** Records per call (default 500). */
  pageSize?: number;
}

/**
 * Reads every record matching `domain`, one page per call, paging by id (keyset) rather than offset so
 * records created or deleted meanwhile neither shift nor repeat the pages. Pages come in id order.
 */
export async function* searchReadPages<R extends { id: number }>(
  client: TrytonClient,
  model: string,
  domain: TrytonDomain,
  options: TrytonPagingOptions,
): AsyncGenerator<R[], void, void> {
  const { pageSize = 500, fields, ...callOptions } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be a positive integer`);
  let lastId = 0;
  // Ends because ids strictly increase and every page but the last is full.
  for (;;) {
    const page = await client.searchRead<R>(model, [domain, ['id', '>', lastId]], {
      ...callOptions,
      fields: fields.includes('id') ? fields : [...fields, 'id'],
      limit: pageSize,
      order: [['id', 'ASC']],
    });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    lastId = page[page.length - 1]!.id;
  }
}
