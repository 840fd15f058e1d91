import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

// wink-nlp with its small English model: maintained, typed, and one pass gives the sentiment
// (a lexicon score that handles negation and intensifiers), stop words, parts of speech and
// lemmas, so tone and key phrases come from the same reading of a text. The model loads once
// per process.
export const nlp = winkNLP(model);
export const its = nlp.its;
