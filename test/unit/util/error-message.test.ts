import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/core/util/error-message.ts';

describe('errorMessage', () => {
  it("is an Error's message", () => {
    expect(errorMessage(new RangeError('out of range'))).toBe('out of range');
  });
  it('is any other thrown value as text', () => {
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
