export { MAX_EMPHASIS_RUNS, MAX_NESTING, findShapeProblem } from './limits';
export { renderCommentMarkdown, renderMarkdown } from './render';
export {
  MARKDOWN_RENDERER_VERSION,
  RENDER_BUDGET_MS,
  plainTextHtml,
  renderForField,
  renderForStorage,
  renderWithinLimits,
  storedHtml,
  type MarkdownKind,
  type Rendered,
} from './safe';
export { RERENDER_BATCH, rerenderStaleMarkdown } from './stale';
