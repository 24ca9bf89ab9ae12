import { pipelinesOutsideOrgFile } from '../../src/pipelines/findings.js';

describe('pipelines outside the org file', () => {
  const path = '.github/shipshape.yml';
  it('a section in a repository’s own file is one warning on its line', () =>
    expect(
      pipelinesOutsideOrgFile('acme', path, 'tool: store\n\npipelines:\n  nightly:\n    - { repository: etl, workflow: run.yml }\n'),
    ).toEqual([expect.objectContaining({ rule: 'pipelines', code: 'not-org-config', severity: 'warning', line: 3 })]));
  it('no section, an empty one, or an invalid file: nothing (the config check reports invalid files)', () => {
    expect(pipelinesOutsideOrgFile('acme', path, 'tool: store\n')).toEqual([]);
    expect(pipelinesOutsideOrgFile('acme', path, 'pipelines: {}\n')).toEqual([]);
    expect(pipelinesOutsideOrgFile('acme', path, 'pipelines: [\n')).toEqual([]);
  });
});
