// Test helper: encode texts with HF tokenizers (npm `tokenizers@0.23.2`, installed by scripts/setup
// into $HF_TOKENIZERS_DIR/node_modules). Reads a JSON array of strings from argv[3], prints a JSON
// array of id arrays (add_special_tokens = false).
//   node hf_encode.mjs TOKENIZER.json TEXTS.json
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.HF_TOKENIZERS_DIR, 'x.js'));
const { Tokenizer } = require('tokenizers');
const tok = Tokenizer.fromFile(process.argv[2]);
const texts = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const out = [];
for (const t of texts) out.push(Array.from((await tok.encode(t, null, { addSpecialTokens: false })).getIds()));
process.stdout.write(JSON.stringify(out));
