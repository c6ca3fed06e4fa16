// oracle.js: the independent reference side of the tokenizer tests. Nothing here uses hymt code.
//   node oracle.js encode ENGINE TOKENIZER_JSON [CONFIG_JSON]  < lines   -> one JSON id array per line
//   node oracle.js encode-jsonl ENGINE TOKENIZER_JSON [CONFIG]  < one JSON string per line (texts
//                                                                  that themselves hold '\n')
//   node oracle.js decode ENGINE TOKENIZER_JSON [CONFIG_JSON]  < arrays  -> one JSON string per line
//   node oracle.js classes                                              -> code points per class
//   node oracle.js jinja TEMPLATE_FILE < cases.json                      -> JSON array of rendered strings
// ENGINE is "rust" (npm `tokenizers`: Hugging Face's Rust tokenizers with Oniguruma, the reference)
// or "js" (npm `@huggingface/tokenizers`, the pure JavaScript port). Input lines are split on '\n'
// only, exactly as `hymt tokenize --lines` splits them. No special tokens are added.
'use strict';
const fs = require('fs');

function readLines() {
  const text = fs.readFileSync(0, 'utf8');
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

async function loadEngine(engine, tokPath, cfgPath) {
  if (engine === 'rust') {
    const { Tokenizer } = require('tokenizers');
    const tok = Tokenizer.fromFile(tokPath);
    return {
      encode: async (s) => (await tok.encode(s, null, { addSpecialTokens: false })).getIds(),
      decode: async (ids, skip) => tok.decode(ids, skip),
    };
  }
  if (engine === 'js') {
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const cfg = cfgPath ? JSON.parse(fs.readFileSync(cfgPath, 'utf8')) : {};
    // Decoding must give the raw text back: transformers' clean_up_tokenization_spaces is a
    // separate, lossy post-processing step, not part of the tokenizer.
    cfg.clean_up_tokenization_spaces = false;
    const tok = new Tokenizer(JSON.parse(fs.readFileSync(tokPath, 'utf8')), cfg);
    return {
      encode: async (s) => tok.encode(s, { add_special_tokens: false }).ids,
      decode: async (ids, skip) => tok.decode(ids, { skip_special_tokens: skip }),
    };
  }
  throw new Error('engine must be rust or js, not ' + engine);
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  const out = [];
  if (mode === 'encode' || mode === 'encode-jsonl' || mode === 'decode') {
    const [engine, tokPath, cfgPath] = args;
    const eng = await loadEngine(engine, tokPath, cfgPath);
    for (const line of readLines()) {
      if (mode === 'encode') out.push(JSON.stringify(Array.from(await eng.encode(line))));
      else if (mode === 'encode-jsonl') out.push(JSON.stringify(Array.from(await eng.encode(JSON.parse(line)))));
      else out.push(JSON.stringify(await eng.decode(JSON.parse(line), true)));
    }
    process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
    return;
  }
  if (mode === 'classes') {
    // Which code points the Rust tokenizers' regex engine puts in each class: split a string of
    // every scalar value with the class as a "Removed" pattern; what survives is outside it.
    const { Tokenizer } = require('tokenizers');
    let all = '';
    for (let cp = 0; cp <= 0x10ffff; ++cp) if (cp < 0xd800 || cp > 0xdfff) all += String.fromCodePoint(cp);
    const result = {};
    for (const [name, re] of [['L', '\\p{L}'], ['N', '\\p{N}'], ['P', '\\p{P}'], ['S', '\\p{S}'],
                              ['M', '\\p{M}'], ['s', '\\s']]) {
      const tj = { version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: null,
        pre_tokenizer: { type: 'Split', pattern: { Regex: re }, behavior: 'Removed', invert: false },
        post_processor: null, decoder: null,
        model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null,
                 end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab: { a: 0 }, merges: [] } };
      const pre = Tokenizer.fromString(JSON.stringify(tj)).getPreTokenizer();
      const outside = new Set();
      for (const [piece] of pre.preTokenizeString(all)) for (const ch of piece) outside.add(ch.codePointAt(0));
      const inside = [];
      for (let cp = 0; cp <= 0x10ffff; ++cp) if ((cp < 0xd800 || cp > 0xdfff) && !outside.has(cp)) inside.push(cp);
      result[name] = inside;
    }
    process.stdout.write(JSON.stringify(result));
    return;
  }
  if (mode === 'jinja') {
    const { Template } = await import('@huggingface/jinja');
    const tmpl = new Template(fs.readFileSync(args[0], 'utf8'));
    const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
    const rendered = cases.map((c) => {
      try {
        return tmpl.render({ messages: c.messages, add_generation_prompt: c.add_generation_prompt,
                             bos_token: '<｜hy_begin▁of▁sentence｜>' });
      } catch (e) {
        return { error: String(e.message || e) };
      }
    });
    process.stdout.write(JSON.stringify(rendered));
    return;
  }
  throw new Error('usage: oracle.js encode|decode|jinja ...');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
