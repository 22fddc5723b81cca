// The o200k tokenizer in a thread of its own: src/catalog/count-tokens.ts starts it and says why.
// Plain CommonJS so that it runs as it is, under tsx and from dist/ alike.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { countTokens, decode, encode } = require(workerData.tokenizerPath);

// Text that spells a special token (`<|endoftext|>`) counts as the plain text it is: a user may
// well type it, and gpt-tokenizer's default would throw.
const PLAIN = { disallowedSpecial: new Set() };

const operations = {
  count: (text) => (text === '' ? 0 : countTokens(text, PLAIN)),
  encode: (text) => encode(text, PLAIN),
  decode: (tokens) => decode(tokens),
};

parentPort.on('message', ({ id, operation, input }) => {
  try {
    parentPort.postMessage({ id, result: operations[operation](input) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
