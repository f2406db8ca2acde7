export * from './rules';
export { foldText, keywordMatcher, listOf, normalizeId } from './text';
