import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, parseCsv } from '../../../src/directory/import/csv.ts';

describe('decoding a directory file', () => {
  it('reads UTF-8 with or without a byte-order mark', () => {
    expect(decodeCsv(Buffer.from('login;nom\r\nx;Éloïse\r\n'))).toEqual({ ok: true, text: 'login;nom\r\nx;Éloïse\r\n' });
    expect(decodeCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('login\nx\n')]))).toEqual({ ok: true, text: 'login\nx\n' });
  });

  it('refuses empty files, binary files and other encodings', () => {
    expect(decodeCsv(Buffer.alloc(0))).toEqual({ ok: false, problem: 'empty' });
    expect(decodeCsv(Buffer.from('\ufeff \r\n\r\n'))).toEqual({ ok: false, problem: 'empty' });
    expect(decodeCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))).toEqual({ ok: false, problem: 'binary' });
    expect(decodeCsv(Buffer.from('login;nom\nx;Éloïse\n', 'latin1'))).toEqual({ ok: false, problem: 'encoding' });
    expect(decodeCsv(Buffer.from('\ufefflogin;nom\n', 'utf16le'))).toEqual({ ok: false, problem: 'encoding' });
  });
});

describe('detecting the separator', () => {
  it('takes the separator the header uses most, ignoring quoted text', () => {
    expect(detectDelimiter('login;last_name;first_name\na,b;c;d')).toBe(';');
    expect(detectDelimiter('login,last_name,"first;name"\n')).toBe(',');
    expect(detectDelimiter('login\n')).toBe(';');
  });
});

describe('reading records', () => {
  it('numbers each record by the line where it starts, across quoted line breaks and blank lines', () => {
    const text = 'a;b\r\n1;"two\r\nlines"\r\n\r\n3;"say ""hi"""\r\n;\r\n5;6';
    expect(parseCsv(text, ';')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', 'two\nlines'] },
        { line: 5, fields: ['3', 'say "hi"'] },
        { line: 7, fields: ['5', '6'] },
      ],
      errors: [],
    });
  });

  it('keeps separators inside quotes and empty trailing values', () => {
    expect(parseCsv('a,b,c\n"x, y",,\n', ',').records[1]).toEqual({ line: 2, fields: ['x, y', '', ''] });
  });

  it('reports text after a closing quote and reads on from the next line', () => {
    const { records, errors } = parseCsv('a;b\n"x"y;1\n2;3\n', ';');
    expect(errors).toEqual([{ line: 2, reason: expect.stringContaining('Du texte suit un guillemet fermant') }]);
    expect(records.map((record) => record.line)).toEqual([1, 3]);
  });

  it('reports a quote never closed at the line where it opens', () => {
    const { records, errors } = parseCsv('a;b\n1;2\n3;"open\n4;5\n', ';');
    expect(errors).toEqual([{ line: 3, reason: expect.stringContaining('jamais fermé') }]);
    expect(records.map((record) => record.line)).toEqual([1, 2]);
  });

  it('accepts lone carriage returns and a last line without line break', () => {
    expect(parseCsv('a\rb\rc', ';').records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
      { line: 3, fields: ['c'] },
    ]);
  });
});
