/**
 * The demo company's master data, as plain values: a small maintenance company servicing compressors and
 * boilers in two regions. Codes are stable so `fieldsync demo day` and the docs can refer to them.
 */
export const DEMO_REGIONS = { north: 'north', south: 'south' } as const;

export const demoCustomers = [
  {
    code: 'C-1001',
    name: 'Brasserie Noord',
    email: 'facilities@brasserie-noord.example',
    phone: '+32 9 123 45 67',
    sites: [
      {
        name: 'Brewery',
        line1: 'Dok Noord 4',
        city: 'Gent',
        postalCode: '9000',
        country: 'BE',
        region: 'north',
        isBilling: true,
      },
    ],
  },
  {
    code: 'C-1002',
    name: 'Kliniek Zuid',
    email: 'techniek@kliniek-zuid.example',
    sites: [
      {
        name: 'Main building',
        line1: 'Ziekenhuislaan 1',
        city: 'Kortrijk',
        postalCode: '8500',
        country: 'BE',
        region: 'south',
        isBilling: true,
      },
      {
        name: 'Outpatient wing',
        line1: 'Ziekenhuislaan 9',
        city: 'Kortrijk',
        postalCode: '8500',
        country: 'BE',
        region: 'south',
      },
    ],
  },
  {
    code: 'C-1003',
    name: 'Hotel Aurora',
    email: 'maintenance@hotel-aurora.example',
    sites: [
      {
        name: 'Hotel',
        line1: 'Korenmarkt 12',
        city: 'Gent',
        postalCode: '9000',
        country: 'BE',
        region: 'north',
        isBilling: true,
      },
    ],
  },
  {
    code: 'C-1004',
    name: 'Bakkerij Zuiderzon',
    sites: [
      {
        name: 'Bakery',
        line1: 'Markt 3',
        city: 'Ieper',
        postalCode: '8900',
        country: 'BE',
        region: 'south',
        isBilling: true,
      },
    ],
  },
] as const;

export const demoItems = [
  {
    sku: 'FILTER-AIR',
    name: 'Air filter element',
    category: 'filters',
    listPrice: '12.50',
    costPrice: '6.20',
  },
  {
    sku: 'OIL-COMP',
    name: 'Compressor oil',
    category: 'lubricants',
    unit: 'l',
    listPrice: '8.90',
    costPrice: '4.10',
  },
  { sku: 'BELT-V', name: 'V-belt', category: 'belts', listPrice: '15.00', costPrice: '7.00' },
  {
    sku: 'PUMP-COND',
    name: 'Condensate pump',
    category: 'pumps',
    listPrice: '145.00',
    costPrice: '88.00',
    serialTracked: true,
  },
  { sku: 'SVC-CALLOUT', name: 'Call-out', category: 'services', listPrice: '45.00', kind: 'service' },
  {
    sku: 'COMP-X15',
    name: 'Screw compressor X15',
    category: 'machines',
    listPrice: '8900.00',
    costPrice: '6100.00',
  },
  {
    sku: 'BOIL-G24',
    name: 'Gas boiler G24',
    category: 'machines',
    listPrice: '3400.00',
    costPrice: '2300.00',
  },
] as const;

export const demoWarehouses = [
  { code: 'CENTRAL', name: 'Central warehouse Gent', kind: 'central', region: 'north' },
  { code: 'VAN-N1', name: 'Van north 1 (Anna)', kind: 'van', region: 'north' },
  { code: 'VAN-S1', name: 'Van south 1 (Bruno)', kind: 'van', region: 'south' },
] as const;

/** Received into CENTRAL, then part of it transferred to each van. */
export const demoStock = {
  central: { 'FILTER-AIR': '200', 'OIL-COMP': '120', 'BELT-V': '40' },
  perVan: { 'FILTER-AIR': '20', 'OIL-COMP': '15', 'BELT-V': '6' },
  pumpSerials: ['PUMP-0001', 'PUMP-0002', 'PUMP-0003', 'PUMP-0004', 'PUMP-0005', 'PUMP-0006'],
  pumpSerialsPerVan: { 'VAN-N1': ['PUMP-0001', 'PUMP-0002'], 'VAN-S1': ['PUMP-0003', 'PUMP-0004'] },
} as const;

export const demoTechnicians = [
  {
    code: 'T-ANNA',
    name: 'Anna Novak',
    region: 'north',
    van: 'VAN-N1',
    skills: ['compressors', 'boilers'],
    rate: '48.00',
  },
  {
    code: 'T-BRUNO',
    name: 'Bruno Silva',
    region: 'south',
    van: 'VAN-S1',
    skills: ['boilers'],
    rate: '46.00',
  },
] as const;

export const demoAssets = [
  {
    serialNumber: 'SN-X15-0001',
    sku: 'COMP-X15',
    customer: 'C-1001',
    name: 'Compressor hall A',
    costCenter: 'CC-NORTH',
    installDate: '2024-03-01',
    warrantyPartsUntil: '2027-02-28',
    warrantyLaborUntil: '2025-02-28',
  },
  {
    serialNumber: 'SN-X15-0002',
    sku: 'COMP-X15',
    customer: 'C-1003',
    name: 'Kitchen compressor',
    costCenter: 'CC-NORTH',
    installDate: '2025-06-15',
    warrantyPartsUntil: '2028-06-14',
    warrantyLaborUntil: '2026-06-14',
  },
  {
    serialNumber: 'SN-G24-0001',
    sku: 'BOIL-G24',
    customer: 'C-1002',
    name: 'Boiler main building',
    costCenter: 'CC-SOUTH',
    installDate: '2023-10-01',
    warrantyPartsUntil: '2025-09-30',
    warrantyLaborUntil: '2024-09-30',
  },
  {
    serialNumber: 'SN-G24-0002',
    sku: 'BOIL-G24',
    customer: 'C-1004',
    name: 'Bakery boiler',
    costCenter: 'CC-SOUTH',
    installDate: '2024-11-20',
    warrantyPartsUntil: '2026-11-19',
    warrantyLaborUntil: '2025-11-19',
  },
] as const;

export const demoContracts = [
  {
    number: 'K-2024-001',
    customer: 'C-1001',
    title: 'Compressor full service',
    assets: ['SN-X15-0001'],
    fee: '150.00',
  },
  { number: 'K-2024-002', customer: 'C-1002', title: 'Boiler care', assets: ['SN-G24-0001'], fee: '95.00' },
] as const;

export const demoChecklist = {
  name: 'Compressor service',
  description: 'Preventive service of a screw compressor',
  defaultForType: 'preventive',
  items: [
    { key: 'oil_level_ok', label: 'Oil level within marks', kind: 'pass_fail', required: true },
    {
      key: 'pressure_bar',
      label: 'Working pressure',
      kind: 'number',
      required: true,
      min: 6,
      max: 10,
      unit: 'bar',
    },
    { key: 'belt_ok', label: 'Belt tension and wear OK', kind: 'pass_fail', required: true },
    { key: 'remarks', label: 'Remarks', kind: 'text' },
  ],
} as const;
