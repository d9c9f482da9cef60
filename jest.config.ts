import type { Config } from 'jest';

// ts-jest only transpiles here (isolatedModules): `npm run typecheck` is the one place types are checked,
// so the suite stays fast on a 2-core machine.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};

// Keeps the transports' expected fault reports (checked through 'warn' events) out of a passing run's output.
const setupFilesAfterEnv = ['<rootDir>/test/helpers/quiet-fault-reports.ts'];

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      setupFilesAfterEnv,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      setupFilesAfterEnv,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
};

export default config;
