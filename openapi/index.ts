// The API model: load a document once, use it everywhere.
export type * from './model/types';
export { lintSpec, loadApiModel, type LintResult, type LoadOptions } from './model/load';
export type { TemplateVariables } from './model/template-variables';
export { SpecError, formatProblem, formatProblems, type SpecProblem } from './model/problems';
export { bindPlaceholders, bindString, placeholderText, PLACEHOLDER_FORMS } from './model/placeholders';
export { STANDARD_SCOPES, canonicalJson } from './model/build-model';
export { resolveAwsVariables, type AwsValues } from './model/aws-variables';
