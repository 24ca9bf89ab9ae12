import { environmentsExist } from '../../../src/audit/checks/environments-exist.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

const environments = (...names: string[]) => ok(names.map((name, i) => ({ id: i + 1, name, reviewers: [], branchPolicy: null })));

testCheck(environmentsExist, {
  valid: [
    { name: 'staging and production exist', facts: { environments: environments('staging', 'production') } },
    { name: 'names compare in any case', facts: { environments: environments('Staging', 'PRODUCTION') } },
    {
      name: 'release.environments decides which',
      facts: { environments: environments('qa', 'production') },
      config: { release: { environments: ['qa', 'production'] } },
    },
  ],
  invalid: [
    {
      name: 'each missing one, naming those that exist, with the environments page',
      facts: { environments: environments('dev') },
      findings: [
        {
          setting: 'Environments → `staging`',
          message: 'The environment `staging` named in `release.environments` does not exist (the repository has `dev`).',
          url: 'https://github.com/css01/store/settings/environments',
        },
        { setting: 'Environments → `production`', message: /`production` named in `release.environments` does not exist/ },
      ],
    },
    {
      name: 'follows release.environments',
      config: { release: { environments: ['qa', 'production'] } },
      findings: [{ setting: 'Environments → `qa`' }],
    },
    {
      name: 'cannot audit without the Actions permission',
      facts: { environments: forbidden('Actions (read)') },
      cannotAudit: 'cannot audit: the app lacks the Actions (read) permission',
    },
  ],
});

it('its fix creates exactly the missing environments', () => {
  expect(environmentsExist.fix!(compliantFacts({ environments: environments('dev') }), context())).toEqual([
    { kind: 'create-environment', name: 'staging' },
    { kind: 'create-environment', name: 'production' },
  ]);
});
