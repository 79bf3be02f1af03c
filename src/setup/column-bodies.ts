/**
 * The JSON definition of a column for `POST EntityDefinitions(LogicalName='<table>')/Attributes`
 * (Learn "Create and update column definitions using the Web API": the string, memo, integer,
 * decimal, datetime, boolean and choice examples). Choices are local (IsGlobal false) with the
 * product's exact option values, as docs/dataverse-schema.md asks.
 */
import type { ChoiceOption, ColumnRequirement, KeyRequirement } from './requirements-columns.js';

const NS = 'Microsoft.Dynamics.CRM.';

export const labelOf = (text: string): Record<string, unknown> => ({
  '@odata.type': `${NS}Label`,
  LocalizedLabels: [{ '@odata.type': `${NS}LocalizedLabel`, Label: text, LanguageCode: 1033 }],
});

export function columnBody(c: ColumnRequirement): Record<string, unknown> {
  const common = {
    SchemaName: c.schemaName,
    DisplayName: labelOf(c.displayName),
    Description: labelOf(`Added by vendor-reconciler setup (docs/dataverse-schema.md).`),
    RequiredLevel: { Value: 'None', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
  };
  switch (c.type) {
    case 'String':
      return { '@odata.type': `${NS}StringAttributeMetadata`, ...common, MaxLength: c.maxLength ?? 100, FormatName: { Value: 'Text' } };
    case 'Memo':
      return { '@odata.type': `${NS}MemoAttributeMetadata`, ...common, MaxLength: c.maxLength ?? 2000, Format: 'TextArea' };
    case 'Integer':
      return { '@odata.type': `${NS}IntegerAttributeMetadata`, ...common, MinValue: c.min ?? -2147483648, MaxValue: c.max ?? 2147483647, Format: 'None' };
    case 'Decimal':
      return { '@odata.type': `${NS}DecimalAttributeMetadata`, ...common, MinValue: c.min ?? -100000000000, MaxValue: c.max ?? 100000000000, Precision: 2 };
    case 'DateTime':
      return { '@odata.type': `${NS}DateTimeAttributeMetadata`, ...common, Format: 'DateAndTime', DateTimeBehavior: { Value: 'UserLocal' } };
    case 'Boolean':
      return {
        '@odata.type': `${NS}BooleanAttributeMetadata`, ...common, DefaultValue: false,
        OptionSet: { '@odata.type': `${NS}BooleanOptionSetMetadata`, TrueOption: { Value: 1, Label: labelOf('Yes') }, FalseOption: { Value: 0, Label: labelOf('No') } },
      };
    case 'Picklist':
      return {
        '@odata.type': `${NS}PicklistAttributeMetadata`, ...common,
        OptionSet: { '@odata.type': `${NS}OptionSetMetadata`, IsGlobal: false, OptionSetType: 'Picklist', Options: (c.options ?? []).map((o) => ({ Value: o.value, Label: labelOf(o.label) })) },
      };
    case 'Lookup':
      throw new Error(`${c.table}.${c.logicalName} is a lookup: it is created with its relationship, not through Attributes`);
  }
}

/** EntityKeyMetadata for `POST EntityDefinitions(LogicalName='<table>')/Keys` (Learn "Define alternate keys for a table"). */
export function keyBody(k: KeyRequirement): Record<string, unknown> {
  return { '@odata.type': `${NS}EntityKeyMetadata`, SchemaName: k.schemaName, DisplayName: labelOf(k.displayName), KeyAttributes: [...k.attributes] };
}

/** The parameters of the InsertOptionValue action for one option of a local choice (Learn InsertOptionValue Action). */
export function insertOptionBody(c: ColumnRequirement, option: ChoiceOption, solution?: string): Record<string, unknown> {
  return { EntityLogicalName: c.table, AttributeLogicalName: c.logicalName, Value: option.value, Label: labelOf(option.label), ...(solution ? { SolutionUniqueName: solution } : {}) };
}
