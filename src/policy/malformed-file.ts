/**
 * `malformed-file`: not a rule but the engine's own finding, documented like one. Every file that a format
 * covers is parsed once per check; one that cannot be read (not valid for its format, binary, over 1 MB)
 * is an error on that file whatever rules are on, so switching a rule off never hides a broken file.
 */
export const MALFORMED_FILE = {
  id: 'malformed-file',
  description: 'Every file a rule could read is readable: valid for its format (YAML syntax, expected shape), text, at most 1 MB.',
  messages: {
    malformed: 'the file is not valid for its format (bad YAML, or a wrong type such as `packages:` that is not a list)',
    unreadable: 'the file is binary or larger than 1 MB, so it could not be checked',
  },
  docs: {
    details:
      "Each file that a rule reads as text is parsed once per check. A file that cannot be read — bad YAML, a wrong type such as `packages: 3`, a binary file, a file over 1 MB — is one error on that file, **whatever rules are on**: switching `dbt-packages-pinned` off never lets a broken `packages.yml` pass. It is not configured under `rules:`. YAML aliases are never expanded, so an alias bomb is harmless. A key written twice in one mapping names `file:line` of both copies and is read as its tool reads it: in a workflow or action it is always an error (GitHub refuses the file: `'x' is already defined`); in `packages.yml`, `dependencies.yml`, `dbt_project.yml`, `profiles.yml` and `dashboard.yml` only when the copies differ (dbt keeps the last one, which Shipshape reads too, but which one was meant cannot be known) — the same value twice is harmless and quiet (real stores repeat `name:` and `version:` in `dbt_project.yml`). A binary report such as a `.pbit` is never read, so it is never a finding.",
    failing: 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n  - package: [unclosed',
    fixed: 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0+20230926',
    language: 'yaml' as const,
  },
} as const;
