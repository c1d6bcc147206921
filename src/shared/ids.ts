import { uuidv7 } from 'uuidv7';

/** Time-ordered ids (UUIDv7): unique without coordination and sortable, which keyset pagination uses. */
export function newId(): string {
  return uuidv7();
}
