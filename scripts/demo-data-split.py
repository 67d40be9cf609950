#!/usr/bin/env python3
# Split the code corpus into train / held-out (every 10th document held out) and gather prose.
import sys, os
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
def docs(path):
    text = open(path, encoding='utf-8').read()
    return [d for d in text.split('\n\f\n') if d.strip()]
train, held = [], []
for name in ['python-stdlib', 'go-stdlib', 'rust-core']:
    for i, d in enumerate(docs(f'{src}/code/{name}.txt')):
        (held if i % 10 == 9 else train).append(d)
open(f'{out}/train-code.txt', 'w').write('\n\f\n'.join(train) + '\n')
open(f'{out}/heldout-code.txt', 'w').write('\n\f\n'.join(held) + '\n')
prose = docs(f'{src}/web/python-docs-rst.txt') + docs(f'{src}/chat/python-faq-chat.txt')
open(f'{out}/train-prose.txt', 'w').write('\n\f\n'.join(prose) + '\n')
print(len(train), 'train code docs,', len(held), 'held-out,', len(prose), 'prose docs')
