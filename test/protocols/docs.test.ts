// docs/protocols.md carries tables generated from the declarations (messages, options, error codes); this test
// keeps them equal. After an intended change: TICKFORGE_UPDATE_DOCS=1 npx vitest run test/protocols/docs.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ITCH50_LAYOUTS } from '../../dsl/protocols/itch50.ts';
import { OUCH50_INBOUND_LAYOUTS, OUCH50_OUTBOUND_LAYOUTS, OUCH50_OPTIONS } from '../../dsl/protocols/ouch50.ts';
import { SOUPBINTCP_LAYOUTS } from '../../dsl/protocols/soupbintcp.ts';
import type { FieldType, Layout } from '../../dsl/protocols/layout.ts';
import { STIMULUS_ERRORS } from '../../sim/stimulus/errors.ts';
import { REPO } from './data.ts';

const DOC = path.join(REPO, 'docs', 'protocols.md');
const INTS: Record<number, string> = { 1: 'u8', 2: 'u16', 4: 'u32', 6: 'u48', 8: 'u64' };

function kind(t: FieldType): string {
  switch (t.kind) {
    case 'int':
      return t.scale !== undefined ? `${t.signed ? 'signedPrice' : 'price'}(${t.size}, ${t.scale})` : INTS[t.size]!;
    case 'alpha':
      return `alpha(${t.size})`;
    case 'appendage':
      return t.optional ? 'appendage (optional)' : 'appendage';
    default:
      return t.kind;
  }
}

function table(ls: readonly Layout[], skip: string[] = []): string {
  const len = (l: Layout) => (!l.variable ? `${l.length}` : l.minLength !== l.length ? `${l.minLength}, or ${l.length} + appendage` : l.fields.at(-1)!.type.kind === 'appendage' ? `${l.length} + appendage` : `${l.length} + rest`);
  const rows = ls.map((l) => `| \`${l.typeCode}\` | ${l.name} | ${len(l)} | ${l.fields.filter((f) => !skip.includes(f.name)).map((f) => `${f.name}@${f.offset} ${kind(f.type)}`).join(', ') || '—'} |`);
  return ['| type | message | bytes | fields: name@offset kind |', '|---|---|---|---|', ...rows].join('\n');
}

export function generatedTables(): Record<string, string> {
  return {
    itch: table(ITCH50_LAYOUTS, ['stockLocate', 'trackingNumber', 'timestamp']),
    'ouch-in': table(OUCH50_INBOUND_LAYOUTS),
    'ouch-out': table(OUCH50_OUTBOUND_LAYOUTS),
    'ouch-options': ['| tag | option | value |', '|---|---|---|', ...Object.entries(OUCH50_OPTIONS).map(([t, [n, ty]]) => `| ${t} | ${n} | ${kind(ty)} |`)].join('\n'),
    soupbintcp: table(SOUPBINTCP_LAYOUTS),
    errors: ['| code | meaning and outcome |', '|---|---|', ...Object.entries(STIMULUS_ERRORS).map(([c, d]) => `| \`${c}\` | ${d} |`)].join('\n'),
  };
}

test('docs/protocols.md tables match the declarations', () => {
  let doc = readFileSync(DOC, 'utf8');
  for (const [name, body] of Object.entries(generatedTables())) {
    const re = new RegExp(`(<!-- table:${name} -->\\n)(?:[\\s\\S]*?\\n)?(<!-- /table:${name} -->)`);
    expect(re.test(doc), `docs/protocols.md has no <!-- table:${name} --> block`).toBe(true);
    if (process.env.TICKFORGE_UPDATE_DOCS) doc = doc.replace(re, (_m, a: string, b: string) => a + body + '\n' + b);
    else expect(re.exec(doc)![0], name).toBe(`<!-- table:${name} -->\n${body}\n<!-- /table:${name} -->`);
  }
  if (process.env.TICKFORGE_UPDATE_DOCS) writeFileSync(DOC, doc);
});
