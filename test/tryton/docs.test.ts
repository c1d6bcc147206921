import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFlowConfig, renderFlowMappingTable } from '../../src/sync/flows/index.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/connectors/tryton.md', import.meta.url)), 'utf8');
const example = fileURLToPath(new URL('../../config/flows/tryton.example.yaml', import.meta.url));

describe('docs/connectors/tryton.md', () => {
  it('contains the generated mapping table of every default flow, as the config has it now', async () => {
    const config = await loadFlowConfig(example);
    for (const flow of config.flows) {
      expect(doc.includes(renderFlowMappingTable(flow, 'markdown')), `mapping table of ${flow.name}`).toBe(
        true,
      );
    }
  });
});
