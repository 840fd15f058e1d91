export { getConsultationResults, getRecommendationResults, pickThemes, excerpt } from './service';
export { rebuildResults, checkResults, compactResults, type RollupMismatch } from './rebuild';
export { analyseAnswer, type AnswerAnalysis } from './text-analysis';
export { scoreTone, toneBucket, contradictsStance } from './tone';
export { extractPhrases, MAX_PHRASES_PER_TEXT } from './phrases';
export * from './types';
