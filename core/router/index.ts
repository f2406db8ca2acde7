export * from './rules';
export { ruleLabel } from './label';
export { routeFieldsOf, type RouteFields } from './fields';
export { foldText, keywordMatcher, listOf, normalizeId } from './text';
