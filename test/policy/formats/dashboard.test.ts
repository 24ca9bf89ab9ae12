/**
 * dashboard.yml beside a report definition → the dashboard's `version:` and its line. The format reads
 * every `dashboard.yml` in a repository, so the Grafana and badge-dashboard files that carry that name
 * in public repositories are read too, and must come out empty rather than wrong.
 */
import { MAX_FLOW_DEPTH } from '../../../src/core/yaml.js';
import { dashboardFormat, type DashboardFile } from '../../../src/policy/formats/dashboard.js';
import type { FormatError } from '../../../src/policy/formats/format.js';
import { covers } from '../../../src/policy/parsed.js';
import { checkVerbatim, crlf, text, type Copied } from './real-files.js';

interface Case extends Copied {
  value: DashboardFile;
  error?: FormatError;
}

const PATH = 'reporting/emp/absenteeism/dashboard.yml';

const realFiles: Case[] = [
  {
    name: 'the example store’s dashboard definition',
    own: 'examples/css42.dashboards_store/reporting/emp/absenteeism/dashboard.yml',
    text: text('name: Absenteeism', 'version: 1.2.0'),
    value: { version: { value: '1.2.0', line: 2 } },
  },
  // 42cabi/prometheus_grafana_quickstart dashboard.yml@e924b1239ddbe1813343daf6673b0b9a19ae98d5 (first 9 lines).
  {
    name: 'a Grafana provisioning file named dashboard.yml: `apiVersion` is not a version',
    text: text(
      'apiVersion: 1',
      '',
      'providers:',
      '  # <string> an unique provider name. Required',
      '  - name: dashboards',
      '    # <int> Org id. Default to 1',
      '    orgId: 1',
      '    # <string> name of the dashboard folder.',
      '    folder: ""',
    ),
    value: {},
  },
  // astropy/astropy-dashboard dashboard.yml@2a1bffd110b96c1603767613f254c05fd5ca880f (first 5 lines).
  {
    name: 'a badge dashboard whose top level is a list',
    text: text('- name: Core and Coordinated packages', '', '  packages:', '', '  - repo: astropy/astropy'),
    value: {},
  },
];

/** Variants of the example's two lines: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', text: '', value: {} },
  {
    name: 'an unquoted 1.10 stays "1.10", not the number 1.1',
    text: text('name: Absenteeism', 'version: 1.10'),
    value: { version: { value: '1.10', line: 2 } },
  },
  { name: 'a quoted version', text: text('name: Absenteeism', "version: '1.2.0'"), value: { version: { value: '1.2.0', line: 2 } } },
  { name: '`version:` with nothing after it', text: text('name: Absenteeism', 'version:'), value: {} },
  { name: '`version:` holding a mapping', text: text('name: Absenteeism', 'version:', '  major: 1'), value: {} },
  { name: 'a version nested under another key is not the dashboard’s', text: text('dashboard:', '  version: 1.2.0'), value: {} },
  { name: 'CRLF line endings', text: crlf(text('name: Absenteeism', 'version: 1.2.0')), value: { version: { value: '1.2.0', line: 2 } } },
  {
    name: 'the same version written twice is harmless (the later line is kept)',
    text: text('name: Absenteeism', 'version: 1.2.0', 'version: 1.2.0'),
    value: { version: { value: '1.2.0', line: 3 } },
  },
  {
    name: 'two different versions: the last is read, and the file is reported',
    text: text('name: Absenteeism', 'version: 1.2.0', 'version: 1.3.0'),
    value: { version: { value: '1.3.0', line: 3 } },
    error: {
      line: 3,
      message: `\`version\` is written twice, at ${PATH}:2 and ${PATH}:3, with different values, so which one counts cannot be known; keep one`,
    },
  },
  {
    name: 'an unclosed flow list',
    text: text('name: Absenteeism', 'version: [1.2.0'),
    value: {},
    error: { line: 3, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
  },
  {
    name: 'flow collections nested deeper than the parser is allowed to go',
    text: text('name: Absenteeism', `version: ${'{'.repeat(MAX_FLOW_DEPTH + 1)}`),
    value: {},
    error: { line: 2, message: `collections are nested more than ${MAX_FLOW_DEPTH} levels deep, which Shipshape does not read` },
  },
];

describe('dashboard format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, value, error }) => {
      expect(dashboardFormat.parse(input, PATH)).toEqual({ value, error });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, value, error }) => {
      expect(dashboardFormat.parse(input, PATH)).toEqual({ value, error });
    });
  });

  it.each([
    [PATH, true],
    ['reporting/fin/budget/dashboard.yaml', true],
    ['dashboard.yml', true],
    // Grafana provisioning files carry the name too, which is why they must read as "no version".
    ['grafana/provisioning/dashboards/dashboard.yml', true],
    ['grafana/provisioning/dashboards/dashboards.yml', false],
    ['reporting/fin/budget/budget.dashboard.json', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(dashboardFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});
