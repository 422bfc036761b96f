import { describe, expect, it } from 'vitest';
import { display } from '../../src/conventions/shared/presenter.ts';
import { withLocale } from '../../src/i18n/index.ts';

/** Hours, amounts and decimals as the convention pages show them, in each language of the interface. */
describe('numbers in the language of the request', () => {
  it('keeps the French formats of the documents in French', () => {
    withLocale('fr', () => {
      expect(display.hours(62190)).toBe('1\u00a0036\u00a0h\u00a030');
      expect(display.euros(123456)).toBe('1\u00a0234,56\u00a0€');
      expect(display.decimal('4.50')).toBe('4,5');
    });
  });

  it('writes them the English way in English', () => {
    withLocale('en', () => {
      expect(display.hours(62190)).toBe('1,036\u00a0h\u00a030');
      expect(display.hours(2100)).toBe('35\u00a0h');
      expect(display.euros(123456)).toBe('€1,234.56');
      expect(display.decimal('4.50')).toBe('4.5');
    });
  });
});
