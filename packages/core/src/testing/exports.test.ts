import { describe, expect, it } from 'vitest';
import * as core from '@nextedit/core';
import * as testing from '@nextedit/core/testing';

// The fakes are for tests: a separate subpath, not part of what an app imports.
describe('@nextedit/core/testing', () => {
  it('holds the test fakes, and the main entry does not', () => {
    for (const name of ['CharTokenizer', 'FakeLM', 'hashRule', 'inductionRule', 'copyRule', 'referenceGreedy']) {
      expect(testing, name).toHaveProperty(name);
      expect(core, name).not.toHaveProperty(name);
    }
  });
});
