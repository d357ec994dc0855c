import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

// RuleTester runs on whatever test framework provides these hooks. Set here, imported only by the
// rule tests: as a global setup file it loaded ESLint into every test file (about 0.4 s each).
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export { RuleTester };
