import { environmentsExist } from '../../../src/audit/checks/environments-exist.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';

describe('environments-exist', () => {
  it('passes when staging and production exist (any case)', () => {
    expect(
      environmentsExist.check(
        compliantFacts({
          environments: ok([
            { id: 1, name: 'Staging', reviewers: [], branchPolicy: null },
            { id: 2, name: 'production', reviewers: [], branchPolicy: null },
          ]),
        }),
        context(),
      ),
    ).toEqual({ findings: [] });
  });
  it('fails for each missing one, with the environments page', () => {
    const facts = compliantFacts({ environments: ok([{ id: 1, name: 'dev', reviewers: [], branchPolicy: null }]) });
    const { findings } = environmentsExist.check(facts, context());
    expect(findings.map((f) => f.message)).toEqual([
      'The environment `staging` named in `release.environments` does not exist (the repository has `dev`).',
      'The environment `production` named in `release.environments` does not exist (the repository has `dev`).',
    ]);
    expect(findings[0]).toMatchObject({ setting: 'Environments → `staging`', url: 'https://github.com/css01/store/settings/environments' });
    expect(environmentsExist.fix!(facts, context())).toEqual([
      { kind: 'create-environment', name: 'staging' },
      { kind: 'create-environment', name: 'production' },
    ]);
  });
  it('follows release.environments', () => {
    expect(environmentsExist.check(compliantFacts(), context({ release: { environments: ['qa', 'production'] } })).findings).toHaveLength(
      1,
    );
  });
  it('cannot audit without the Actions permission', () => {
    expect(environmentsExist.check(compliantFacts({ environments: forbidden('Actions (read)') }), context())).toEqual({
      findings: [],
      cannotAudit: 'cannot audit: the app lacks the Actions (read) permission',
    });
  });
});
