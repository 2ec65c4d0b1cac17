import { describe, expect, it } from 'vitest';
import { allInOrder } from '../src/runtime/all-in-order.js';

const later = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));
const failLater = (ms: number, message: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

describe('allInOrder', () => {
  it('resolves to the values in argument order, like Promise.all', async () => {
    const [a, b] = await allInOrder([later(20, 'a'), later(1, 2)]);
    expect(a).toBe('a');
    expect(b).toBe(2);
  });

  it('throws the first failure in argument order, not in time, and releases what loaded', async () => {
    const released: unknown[] = [];
    const run = allInOrder([later(1, 'loaded'), failLater(30, 'first file'), failLater(1, 'second file')], (v) => {
      released.push(v);
    });
    await expect(run).rejects.toThrow('first file');
    expect(released).toEqual(['loaded']);
  });
});
