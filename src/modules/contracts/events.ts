/** Event types of the contracts module. Subjects: `contract/<id>` and `price_list/<id>`. */
export const ContractEvents = {
  created: 'contract.created',
  versionAdded: 'contract.version.added',
  updated: 'contract.updated',
  terminated: 'contract.terminated',
} as const;

export const PriceListEvents = {
  created: 'price_list.created',
  updated: 'price_list.updated',
} as const;

export const contractSubject = (id: string): string => `contract/${id}`;
export const priceListSubject = (id: string): string => `price_list/${id}`;
