// HF tokenizers (npm `tokenizers@0.23.2`, the official Rust library's Node binding) throughput on the
// same text as bench/bench_tokenizer.cpp: the kb512 corpora, single thread, non-batch encode,
// add_special_tokens=false. Run through bench/tokenizer_vs_hf.sh (which sets RAYON_NUM_THREADS=1,
// TOKENIZERS_PARALLELISM=false and installs the package into a scratch directory).
//   node bench/tokenizer_vs_hf.mjs SHARED_DIR [--repeat N] [--only NAME]
// Prints one TSV line per (tokenizer, mode): name, mode, bytes, tokens, id checksum (sum of
// id * (index % 1000 + 1) over all ids in order, as bench_tokenizer --tsv), seconds (best of N), MB/s.
//   mode "doc"  = one encode() call per document (documents are separated by a line holding "\f")
//   mode "file" = one encode() call per domain file (5 calls of ~0.5 MB)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(process.env.HF_TOKENIZERS_DIR ? join(process.env.HF_TOKENIZERS_DIR, 'x.js') : import.meta.url);
const { Tokenizer } = require('tokenizers');

const args = process.argv.slice(2);
const shared = args[0];
let repeat = 3, only = null;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--repeat') repeat = Number(args[++i]);
  else if (args[i] === '--only') only = args[++i];
}
const TOKENIZERS = [
  ['llama3', 'llama3.json'], ['qwen3', 'qwen3.json'], ['gemma3', 'gemma3.json'],
  ['o200k', 'o200k.json'], ['deepseek3', 'deepseek3.json'], ['llama2', 'llama2-phi35.json'],
];
const DOMAINS = ['code', 'math', 'chat', 'multilingual', 'web'];

const files = DOMAINS.map((d) => readFileSync(join(shared, 'data/corpora/kb512', d + '.txt'), 'utf8'));
const docs = [];
for (const f of files) {
  for (const doc of f.split(/\n\f\n/)) if (doc.length) docs.push(doc);
}
const bytes = (list) => list.reduce((a, s) => a + Buffer.byteLength(s, 'utf8'), 0);

for (const [name, file] of TOKENIZERS) {
  if (only && name !== only) continue;
  const tok = Tokenizer.fromFile(join(shared, 'data/tokenizers', file));
  for (const [mode, list] of [['doc', docs], ['file', files]]) {
    let best = Infinity, tokens = 0, checksum = 0n;
    for (let r = 0; r < repeat + 1; r++) {  // first round warms the word cache, like the C++ bench
      const results = [];
      const t0 = process.hrtime.bigint();
      for (const s of list) results.push((await tok.encode(s, null, { addSpecialTokens: false })).getIds());
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r > 0) best = Math.min(best, dt);
      let n = 0, sum = 0n;
      for (const ids of results) for (const id of ids) sum += BigInt(id) * BigInt((n++ % 1000) + 1);
      tokens = n;
      checksum = sum;
    }
    const b = bytes(list);
    console.log([name, mode, b, tokens, checksum.toString(), best.toFixed(4), (b / 1e6 / best).toFixed(2)].join('\t'));
  }
}
