// Mappings shared by sync tests, benchmarks and the crash-test child process.
export const customerMapping = {
  fields: {
    name: { from: 'customer.name', required: true, owner: 'erp' },
    code: { from: 'customer.code', owner: 'erp' },
    email: { from: 'customer.email', owner: 'shared', rule: 'latest-wins' },
    version: { from: 'customer.version', owner: 'fieldsync' },
  },
};
