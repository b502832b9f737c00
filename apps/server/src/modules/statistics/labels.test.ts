import { describe, expect, it } from 'vitest';
import { categoryLabel } from './labels.ts';

describe('published table labels', () => {
  it('names workflow codes with the same words as the screens', () => {
    expect(categoryLabel('referrer', 'kaupapa_maori')).toBe('Kaupapa Māori service');
    expect(categoryLabel('decision', 'conclusive_grounds')).toBe('Conclusive-grounds decision');
    expect(categoryLabel('outcome', 'negative')).toBe('Negative');
    expect(categoryLabel('need', 'whanau_support')).toBe('Support for whānau');
    expect(categoryLabel('status', 'engaged')).toBe('Working with the child');
    expect(categoryLabel('closure reason', 'merged_with_another_case')).toBe(
      'Joined with another case about the same child',
    );
  });

  it('leaves unknown codes as they are and says when nothing was recorded', () => {
    expect(categoryLabel('need', 'not_a_need')).toBe('not_a_need');
    expect(categoryLabel('region', 'not_recorded')).toBe('Not recorded');
    expect(categoryLabel('quarter', '2026Q3')).toBe('Q3 2026');
  });
});
