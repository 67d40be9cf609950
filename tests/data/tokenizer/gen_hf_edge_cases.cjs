// Golden edge cases for tests/tokenizer/test_hf_edge_cases.cpp, produced by HF tokenizers 0.23.2
// (npm `tokenizers`, the Rust library's Node binding) on the six shared tokenizer.json files.
// 300 seeded random texts mixing scripts, whitespace variants (U+00A0, U+3000, U+2028, U+0085,
// U+180E...), combining marks, emoji sequences, digits, contractions and special-token text.
// Regenerate (from the repository root):
//   npm install --prefix build/hf-tokenizers --no-save tokenizers@0.23.2
//   NODE_PATH=build/hf-tokenizers/node_modules node tests/data/tokenizer/gen_hf_edge_cases.cjs ../shared \
//     > tests/data/tokenizer/hf_edge_cases.jsonl
// Each line: {"text", "ids": {tok: [...]}, "ids_special": {tok: [...]} (add_special_tokens=true),
//             "decoded": {tok: decode(ids, skip_special_tokens=false)}}.
const { Tokenizer } = require('tokenizers');
const path = require('path');

const shared = process.argv[2] || '../shared';
let seed = 20240607;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const pools = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', ' ', '  ', '\n', '\t', '\r\n', '\n\n',
  "'s", "'T", "'re", "'LL", '!?.,;:()[]{}<>/\\|@#$%^&*-_=+~`"', '你好世界中文字符測試', 'こんにちはカタカナ', '한국어텍스트',
  'مرحبا بالعالم', 'Привет мир', 'ελληνικά', 'हिन्दी', 'ไทย', '😀😃👩‍💻🇫🇷🏳️‍🌈', 'é', 'e\u0301', 'ﬁ', '\u00a0', '\u3000', '\u2028',
  '\u0085', '\u180e', '\u200b', '\u200d', '\u2009', '𝔘𝔫𝔦', '½²³', '٣٤٥', '\ufeff', '\u007f', '▁', 'Ġ',
  '<|endoftext|>', '<|im_start|>', '<start_of_turn>', '<|user|>', '<s>', '</s>', '<|begin_of_text|>', '<bos>', '<unk>',
  '<think>', '<table>', '<unused5>', '<0x41>', '<|end|>', ' <|user|> ', '   ', '    \n', 'ſ', 'İ', 'ß', 'ǅ', '\u1100\u1161',
];
const texts = [];
for (let i = 0; i < 300; i++) {
  let s = '';
  const n = 1 + Math.floor(rnd() * 12);
  for (let k = 0; k < n; k++) {
    const p = pick(pools);
    if (p.length > 6 && rnd() < 0.5) {
      const a = Math.floor(rnd() * p.length);
      s += Array.from(p).slice(a, a + 1 + Math.floor(rnd() * 4)).join('');
    } else {
      s += p;
    }
  }
  texts.push(s);
}
const TOKENIZERS = [['llama3', 'llama3.json'], ['qwen3', 'qwen3.json'], ['gemma3', 'gemma3.json'],
                    ['o200k', 'o200k.json'], ['deepseek3', 'deepseek3.json'], ['llama2', 'llama2-phi35.json']];
(async () => {
  const rows = texts.map((text) => ({ text, ids: {}, ids_special: {}, decoded: {} }));
  for (const [name, file] of TOKENIZERS) {
    const t = Tokenizer.fromFile(path.join(shared, 'data/tokenizers', file));
    for (const r of rows) {
      r.ids[name] = (await t.encode(r.text, null, { addSpecialTokens: false })).getIds();
      r.ids_special[name] = (await t.encode(r.text, null, { addSpecialTokens: true })).getIds();
      r.decoded[name] = await t.decode(r.ids[name], false);
    }
  }
  for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
})();
