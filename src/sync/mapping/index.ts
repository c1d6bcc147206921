export { compileMapping, compileParsedMapping, describeMappingIssues } from './compile-mapping.js';
export type {
  CompileResult,
  CompiledField,
  CompiledMapping,
  MapResult,
  MappingIssue,
} from './compile-mapping.js';
export {
  FieldOwner,
  SharedRule,
  fieldSpecSchema,
  lookupTablesSchema,
  mappingSpecSchema,
  transformNames,
  transformSchema,
} from './mapping-spec.js';
export type {
  FieldSpec,
  LookupTables,
  MappingSpec,
  MappingSpecInput,
  Scalar,
  Transform,
  TransformName,
} from './mapping-spec.js';
export { mappingTableRows, renderMappingTable } from './mapping-table.js';
export type { MappingTableFormat, MappingTableRow } from './mapping-table.js';
export { resolveField, sharedRuleDescriptions } from './ownership.js';
export type { FieldConflict, FieldResolution, FieldVersions } from './ownership.js';
export { getPath, isMissing, setPath } from './source-path.js';
export { describeTransform } from './transforms.js';
export type { CompileIssue } from './transforms.js';
